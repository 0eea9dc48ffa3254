// The chat metrics per day in the workspace's zone (docs/chat-api.md, "Metrics"):
// - total chats: every conversation a visitor requested, bot and missed ones included;
// - qualified chats: rated 1, 2 or 3 fires (the sender's `qualified` flag is stored, not counted);
// - lead volume: conversations that captured an email or any data ask; a lead's email (the
//   data-ask email, else the first captured one, normalized) counts once per day, a lead
//   without an email counts per conversation;
// - target accounts: conversations with a visitor identified as a target account;
// - meetings booked: counted on the day of `meetingBookedAt`, not on the chat's day.
import { sql, type SQL } from 'drizzle-orm';
import type { Day } from '../attribution/calendar';
import type { DbOrTx } from '../platform/db/client';
import { textArray } from '../platform/db/sql';
import { instantsOf, type DayRange } from './reporting-period';

export interface ChatCounts {
  totalChats: number;
  qualifiedChats: number;
  leadVolume: number;
  targetAccounts: number;
  meetingsBooked: number;
}

export const zeroCounts = (): ChatCounts => ({
  totalChats: 0,
  qualifiedChats: 0,
  leadVolume: 0,
  targetAccounts: 0,
  meetingsBooked: 0,
});

export interface MetricsScope {
  workspaceId: string;
  timeZone: string;
  /** Only these teams' conversations; null: all teams. */
  teams: readonly string[] | null;
}

/**
 * A conversation counts toward "target accounts" when the chat product identified its visitor as
 * one (`targetAccount` as sent): the dashboard's figure, and what makes an account a target account
 * on the accounts page (accounts.ts).
 */
export const isTargetAccountChat = sql`target_account`;

/** A conversation is a lead when it captured any email or any data ask. */
const isLead = sql`(cardinality(emails) > 0 or captured_email is not null or captured_name is not null
  or captured_phone is not null or captured_website is not null or captured_company is not null)`;
/** The data-ask email, else the first captured email; normalized as ATTRIBUTION.md rule 2 says. */
const leadEmail = sql`email_normalized(coalesce(captured_email, emails[1]))`;

/** The counts of every day of the range that has any; days without a chat are absent. */
export async function chatCountsByDay(db: DbOrTx, scope: MetricsScope, range: DayRange): Promise<Map<Day, ChatCounts>> {
  const { start, end } = instantsOf(range, scope.timeZone);
  const teamFilter: SQL = scope.teams ? sql`and team_id = any(${textArray(scope.teams)})` : sql``;
  const where = (column: SQL) =>
    sql`workspace_id = ${scope.workspaceId} and ${column} >= ${start.toISOString()}::timestamptz
      and ${column} < ${end.toISOString()}::timestamptz ${teamFilter}`;
  const localDay = (column: SQL) => sql`(${column} at time zone ${scope.timeZone})::date::text`;

  const chats = await db.execute<{ day: string; total: number; qualified: number; target: number; leads: number }>(sql`
    select day, count(*)::int as total,
           count(*) filter (where rating between 1 and 3)::int as qualified,
           count(*) filter (where target_account)::int as target,
           (count(distinct lead_email) filter (where lead) + count(*) filter (where lead and lead_email is null))::int as leads
    from (
      select ${localDay(sql`started_at`)} as day, rating, ${isTargetAccountChat} as target_account, ${isLead} as lead, ${leadEmail} as lead_email
      from conversations where ${where(sql`started_at`)}
    ) c
    group by day`);
  const meetings = await db.execute<{ day: string; n: number }>(sql`
    select ${localDay(sql`meeting_booked_at`)} as day, count(*)::int as n
    from conversations where ${where(sql`meeting_booked_at`)}
    group by 1`);

  const byDay = new Map<Day, ChatCounts>();
  for (const r of chats) {
    byDay.set(r.day, {
      ...zeroCounts(),
      totalChats: r.total,
      qualifiedChats: r.qualified,
      targetAccounts: r.target,
      leadVolume: r.leads,
    });
  }
  for (const r of meetings) byDay.set(r.day, { ...(byDay.get(r.day) ?? zeroCounts()), meetingsBooked: r.n });
  return byDay;
}
