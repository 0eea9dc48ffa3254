// The lead funnel, MQL -> SQL: the leads created in the range (a cohort, by the day of their
// CreatedDate in the workspace's zone) and how far each got to date, read from the lead's versions
// and, where the org tracks it, its LeadHistory of Status (field_history): a lead that went MQL ->
// SQL between two syncs shows both steps, at the instants Salesforce recorded (its Lead Status over
// time, mapped to stages by lead-stages.ts). Once for chat-sourced leads,
// whose email a chat of the team set captured before or on the day the lead was created, and once
// for all leads; in total and by ISO week of creation.
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { addDays, calendarFor, type ZoneCalendar } from '../attribution/calendar';
import type { DbOrTx } from '../platform/db/client';
import { textArray } from '../platform/db/sql';
import type { FunnelStage } from '../platform/db/schema';
import { teamsParam } from './dashboard';
import { stageOfStatus } from './lead-stages';
import { reportContext, type ReportAccess } from './report-context';
import { instantsOf, periodQuery, periodsOf, type Period } from './reporting-period';
import { median, ratio } from './statistics';

export const funnelQuery = periodQuery.extend({ teams: teamsParam });
export type FunnelQuery = z.output<typeof funnelQuery>;

const counts = {
  leads: z
    .number()
    .int()
    .meta({ description: 'Leads created (CreatedDate) on a day of the range; deleted ones left out.' }),
  mql: z.number().int().meta({ description: 'Of those, leads that reached MQL (or a later stage: SQL, converted).' }),
  sql: z.number().int().meta({ description: 'Leads that reached SQL: a status mapped to SQL, or converted.' }),
  rejected: z.number().int().meta({ description: 'Leads that held a status mapped to rejected at some point.' }),
  converted: z.number().int().meta({ description: 'Leads converted (IsConverted) to date.' }),
  acceptanceRate: z.number().nullable().meta({ description: 'sql / mql: the share of MQLs sales accepted.' }),
};

const figures = z.object({
  ...counts,
  medianHoursToAccept: z
    .number()
    .nullable()
    .meta({
      description:
        'Median hours from reaching MQL to reaching SQL, over the accepted leads seen at MQL first (a lead’s first ' +
        'known status stands from its CreatedDate).',
    }),
  acceptedWithTime: z.number().int().meta({ description: 'The sample size of medianHoursToAccept.' }),
  weekly: z
    .array(z.object({ from: z.iso.date(), to: z.iso.date(), ...counts }))
    .meta({ description: 'Cohorts by ISO week of creation (Monday first), clipped to the range.' }),
});

export const funnelView = z
  .object({
    from: z.iso.date(),
    to: z.iso.date(),
    asOf: z.iso.datetime().meta({ description: 'Stages are read to date: how far the cohort got by now.' }),
    teams: z.array(z.string()).nullable(),
    chatSourced: figures.meta({
      description:
        'Leads whose email (in any version) a chat of the team set captured before or on their creation day.',
    }),
    all: figures.meta({ description: 'Every lead created in the range.' }),
  })
  .meta({ id: 'Funnel' });
export type FunnelView = z.infer<typeof funnelView>;

interface LeadPath {
  leadId: string;
  createdAt: number;
  chatSourced: boolean;
  mqlAt: number | null;
  sqlAt: number | null;
  /** Seen at MQL before SQL: time to accept is known. */
  mqlSeenFirst: boolean;
  rejected: boolean;
  converted: boolean;
}

type VersionRow = {
  lead_id: string;
  /** 'version' (a state we read) or 'history' (a LeadHistory Status change, or its old value at creation). */
  kind: 'version' | 'history';
  created_ms: string;
  at_ms: string;
  status: string | null;
  is_converted: boolean;
  is_deleted: boolean | null;
  chat_sourced: boolean;
};

export async function buildFunnel(
  db: DbOrTx,
  access: ReportAccess,
  q: FunnelQuery,
  now = new Date(),
): Promise<FunnelView> {
  const { workspace, range, teams } = await reportContext(db, access, q, now);
  const { start, end } = instantsOf(range, workspace.timeZone);
  const tz = workspace.timeZone;
  const teamFilter = teams ? sql`and c.team_id = any(${textArray(teams)})` : sql``;
  const rows = await db.execute<VersionRow>(sql`
    with leads as (
      select lead_id, coalesce(min(created_date), min(occurred_at)) as created
      from lead_versions where workspace_id = ${workspace.id}
      group by 1
      having coalesce(min(created_date), min(occurred_at)) >= ${start.toISOString()}::timestamptz
         and coalesce(min(created_date), min(occurred_at)) < ${end.toISOString()}::timestamptz
    ), sourced as (
      select l.lead_id from leads l
      where exists (
        select 1 from lead_versions v
        join conversation_emails e on e.workspace_id = v.workspace_id and e.email_normalized = v.email_normalized
        join conversations c on c.workspace_id = e.workspace_id and c.id = e.conversation_id
        where v.workspace_id = ${workspace.id} and v.lead_id = l.lead_id ${teamFilter}
          -- before the end of the lead's creation day, in the workspace's zone
          and c.started_at < (((l.created at time zone ${tz})::date + 1)::timestamp at time zone ${tz}))
    ), events as (
      select v.lead_id, 'version' as kind, v.occurred_at as at, 1 as rank, v.seq, v.status, v.is_converted, v.is_deleted
      from lead_versions v join leads l using (lead_id)
      where v.workspace_id = ${workspace.id}
      union all
      -- Salesforce's LeadHistory: each Status change at its CreatedDate.
      select h.record_id, 'history', h.changed_at, 0, 0, h.new_value, false, null
      from field_history h join leads l on l.lead_id = h.record_id
      where h.workspace_id = ${workspace.id} and h.object = 'Lead' and h.field = 'Status'
      union all
      -- The status before the first recorded change held from the lead's creation.
      (select distinct on (h.record_id) h.record_id, 'history', l.created, 0, 0, h.old_value, false, null
       from field_history h join leads l on l.lead_id = h.record_id
       where h.workspace_id = ${workspace.id} and h.object = 'Lead' and h.field = 'Status'
       order by h.record_id, h.changed_at, h.history_id)
    )
    select e.lead_id, e.kind, (extract(epoch from l.created) * 1000)::bigint::text as created_ms,
           (extract(epoch from e.at) * 1000)::bigint::text as at_ms, e.status, e.is_converted, e.is_deleted,
           (s.lead_id is not null) as chat_sourced
    from events e join leads l using (lead_id) left join sourced s using (lead_id)
    order by e.lead_id, e.at, e.rank, e.seq`);
  const stageOf = await stageOfStatus(db, workspace.id);
  const paths = leadPaths(rows, stageOf);

  const calendar = calendarFor(tz);
  const weeks = periodsOf(range, 'week');
  return {
    from: range.from,
    to: range.to,
    asOf: now.toISOString(),
    teams,
    chatSourced: figuresOf(
      paths.filter((p) => p.chatSourced),
      weeks,
      calendar,
    ),
    all: figuresOf(paths, weeks, calendar),
  };
}

/** Each lead's path through the stages, from its versions in time order. */
function leadPaths(rows: VersionRow[], stageOf: (status: string | null) => FunnelStage): LeadPath[] {
  const byLead = new Map<string, VersionRow[]>();
  for (const r of rows) byLead.set(r.lead_id, [...(byLead.get(r.lead_id) ?? []), r]);
  const paths: LeadPath[] = [];
  for (const [leadId, versions] of byLead) {
    // Merged or removed in Salesforce: only versions know.
    if (versions.filter((v) => v.kind === 'version').at(-1)?.is_deleted) continue;
    const createdAt = Number(versions[0]!.created_ms);
    const path: LeadPath = {
      leadId,
      createdAt,
      chatSourced: versions[0]!.chat_sourced,
      mqlAt: null,
      sqlAt: null,
      mqlSeenFirst: false,
      rejected: false,
      converted: false,
    };
    versions.forEach((v, i) => {
      // The first known state stands from the lead's creation, as a first version does in the engine.
      const at = i === 0 ? Math.min(createdAt, Number(v.at_ms)) : Number(v.at_ms);
      const stage = stageOf(v.status);
      const accepted = stage === 'sql' || v.is_converted;
      if (stage === 'mql' && path.sqlAt === null && path.mqlAt === null) {
        path.mqlAt = at;
        path.mqlSeenFirst = true;
      }
      if (accepted && path.sqlAt === null) {
        path.sqlAt = at;
        path.mqlAt ??= at;
      }
      if (stage === 'rejected') path.rejected = true;
      if (v.is_converted) path.converted = true;
    });
    paths.push(path);
  }
  return paths;
}

function countsOf(paths: LeadPath[]) {
  const mql = paths.filter((p) => p.mqlAt !== null).length;
  const sqlCount = paths.filter((p) => p.sqlAt !== null).length;
  return {
    leads: paths.length,
    mql,
    sql: sqlCount,
    rejected: paths.filter((p) => p.rejected).length,
    converted: paths.filter((p) => p.converted).length,
    acceptanceRate: ratio(sqlCount, mql),
  };
}

function figuresOf(paths: LeadPath[], weeks: Period[], calendar: ZoneCalendar) {
  const timed = paths.filter((p) => p.sqlAt !== null && p.mqlSeenFirst);
  const hours = median(timed.map((p) => (p.sqlAt! - p.mqlAt!) / 3_600_000));
  return {
    ...countsOf(paths),
    medianHoursToAccept: hours === null ? null : Math.round(hours * 10) / 10,
    acceptedWithTime: timed.length,
    weekly: weeks.map((w) => ({
      from: w.from,
      to: w.to,
      ...countsOf(
        paths.filter((p) => {
          const day = calendar.dayOf(p.createdAt);
          return day >= w.from && day < addDays(w.to, 1);
        }),
      ),
    })),
  };
}
