// The accounts that chatted in a range: each Salesforce account with a chat of the team set in the
// range (account-links.ts says which chats are an account's), by name, with whether it is a target
// account (the dashboard's definition, chat-metrics.ts), its chats, contacts and opportunities, the
// open pipeline chat influenced (outcomes.ts's stock) and the Closed-Won Influenced it added in the
// range (the dashboard's sums, influence-inputs.ts). Sorted and paged with an opaque cursor.
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { formatCents, type Cents } from '../attribution/money';
import type { DbOrTx } from '../platform/db/client';
import { money } from '../ledger/money-view';
import { accountChats, contactAccounts } from './account-links';
import { teamsParam } from './dashboard';
import { opportunityDeltas } from './influence-inputs';
import { pageAfter, sortRows, type Sortable } from './keyset-page';
import { accountNames, salesforceRecordLink } from './names';
import { outcomeFacts } from './outcomes';
import { reportContext, type ReportAccess } from './report-context';
import { instantsOf, periodQuery } from './reporting-period';

export const ACCOUNT_SORTS = [
  'lastChatAt',
  'chats',
  'contacts',
  'opportunities',
  'openInfluencedPipeline',
  'closedWonInfluenced',
  'name',
] as const;
type Sort = (typeof ACCOUNT_SORTS)[number];

export const accountListQuery = periodQuery.extend({
  teams: teamsParam,
  target: z
    .enum(['true', 'false'])
    .optional()
    .meta({ description: 'true: only target accounts; false: only the others. Default: both.' }),
  sort: z
    .enum(ACCOUNT_SORTS)
    .default('lastChatAt')
    .meta({ description: 'The column to sort by. Default: lastChatAt.' }),
  order: z.enum(['asc', 'desc']).default('desc').meta({ description: 'Empty values sort last either way.' }),
  limit: z.coerce.number().int().min(1).max(500).default(50).meta({ description: 'Rows per page, 1 to 500.' }),
  cursor: z
    .string()
    .max(1000)
    .optional()
    .meta({ description: 'nextCursor of the previous page, with the same query.' }),
});
export type AccountListQuery = z.output<typeof accountListQuery>;

export const accountSummary = z
  .object({
    id: z.string().meta({ description: 'The Salesforce account id.' }),
    name: z.string().nullable().meta({ description: 'Its latest synced Account Name; null before Accounts synced.' }),
    targetAccount: z.boolean().meta({
      description:
        'One of its chats of the range (`chats`) had a visitor identified as a target account: a chat the dashboard’s Target Accounts ' +
        'counts for the same range and teams.',
    }),
    chats: z.number().int().meta({ description: 'Conversations of the team set in the range linked to its contacts.' }),
    chattedContacts: z.number().int().meta({ description: 'Its contacts those conversations are linked to.' }),
    contacts: z.number().int().meta({ description: 'Its contacts in Salesforce (not deleted).' }),
    opportunities: z
      .number()
      .int()
      .meta({ description: 'Its opportunities at the end of the range (created by then, not deleted).' }),
    openInfluencedPipeline: money.meta({
      description:
        'The amounts of its opportunities chat of the team set influenced that were open at the end of the range ' +
        '(the dashboard’s open influenced pipeline), in the reporting currency.',
    }),
    closedWonInfluenced: money.meta({
      description: 'Its opportunities’ Closed-Won Influenced deltas in the range, summed (as the dashboard sums them).',
    }),
    lastChatAt: z.iso.datetime().meta({ description: 'When its latest conversation of the range started.' }),
    salesforceUrl: z.url().nullable().meta({ description: 'The account in the connected org; null without one.' }),
  })
  .meta({ id: 'AccountSummary' });
export type AccountSummary = z.infer<typeof accountSummary>;

export const accountPage = z
  .object({
    from: z.iso.date(),
    to: z.iso.date(),
    currency: z.string().meta({ description: 'The reporting currency of the money columns.' }),
    teams: z.array(z.string()).nullable(),
    sort: z.enum(ACCOUNT_SORTS),
    order: z.enum(['asc', 'desc']),
    total: z.number().int().meta({ description: 'Accounts in the list, on every page.' }),
    items: z.array(accountSummary),
    nextCursor: z.string().nullable().meta({ description: 'Pass it as cursor for the next page; null on the last.' }),
  })
  .meta({ id: 'AccountPage', description: 'The accounts with a conversation of the team set in the range.' });
export type AccountPage = z.infer<typeof accountPage>;

interface Row extends Sortable<Sort> {
  view: AccountSummary;
}

type ChatRow = {
  account_id: string;
  chats: number;
  contacts: number;
  target: boolean;
  last_chat: string;
};

export async function listAccounts(
  db: DbOrTx,
  access: ReportAccess,
  q: AccountListQuery,
  now = new Date(),
): Promise<AccountPage> {
  const ctx = await reportContext(db, access, q, now);
  const { workspace, range, teams } = ctx;
  const chatted = await db.execute<ChatRow>(sql`
    select account_id, count(distinct conversation_id)::int as chats, count(distinct contact_id)::int as contacts,
           bool_or(target_account) as target, to_json(max(started_at))#>>'{}' as last_chat
    from (${accountChats({ workspaceId: workspace.id, teams, during: instantsOf(range, workspace.timeZone) })}) l
    group by 1`);
  const listed = chatted.filter((c) => q.target === undefined || c.target === (q.target === 'true'));
  const ids = listed.map((c) => c.account_id);

  const contacts = await db.execute<{ account_id: string; n: number }>(sql`
    select account_id, count(*)::int as n from (${contactAccounts(workspace.id, ids)}) ca group by 1`);
  const contactsOf = new Map(contacts.map((c) => [c.account_id, c.n]));
  // Only the listed accounts' opportunities: their figures are all the list shows of them.
  const facts = await outcomeFacts(db, ctx, { accountIds: ids });
  const { states } = facts; // read once: the states the outcome figures were taken from
  const deltas = await opportunityDeltas(db, { workspaceId: workspace.id, teams }, range);

  const wanted = new Set(ids);
  const figures = new Map(ids.map((id) => [id, { opportunities: 0, open: 0n as Cents, closedWon: 0n as Cents }]));
  const of = (accountId: string | null) => (accountId && wanted.has(accountId) ? figures.get(accountId) : undefined);
  for (const s of states.values()) {
    const f = of(s.accountId);
    if (f && !s.deleted) f.opportunities += 1;
  }
  for (const s of facts.influenced.open) {
    const f = of(s.accountId);
    if (f) f.open += s.reportingAmount;
  }
  for (const [opportunityId, days] of deltas) {
    const f = of(states.get(opportunityId)?.accountId ?? null);
    if (f) for (const d of days) f.closedWon += d.closedWon;
  }
  const names = await accountNames(db, workspace.id, ids);
  const link = await salesforceRecordLink(db, workspace.id);

  const rows: Row[] = listed.map((c) => {
    const f = figures.get(c.account_id)!;
    const name = names.get(c.account_id) ?? null;
    const lastChatAt = new Date(c.last_chat);
    const view: AccountSummary = {
      id: c.account_id,
      name,
      targetAccount: c.target,
      chats: c.chats,
      chattedContacts: c.contacts,
      contacts: contactsOf.get(c.account_id) ?? 0,
      opportunities: f.opportunities,
      openInfluencedPipeline: formatCents(f.open),
      closedWonInfluenced: formatCents(f.closedWon),
      lastChatAt: lastChatAt.toISOString(),
      salesforceUrl: link('Account', c.account_id),
    };
    return {
      id: view.id,
      view,
      sortable: {
        lastChatAt: lastChatAt.getTime(),
        chats: view.chats,
        contacts: view.contacts,
        opportunities: view.opportunities,
        openInfluencedPipeline: f.open,
        closedWonInfluenced: f.closedWon,
        name: name?.toLowerCase() ?? null,
      },
    };
  });
  sortRows(rows, q.sort, q.order);
  const page = pageAfter(rows, q, ACCOUNT_SORTS);
  return {
    from: range.from,
    to: range.to,
    currency: workspace.reportingCurrency,
    teams,
    sort: q.sort,
    order: q.order,
    total: rows.length,
    items: page.items.map((r) => r.view),
    nextCursor: page.nextCursor,
  };
}
