// One account and everything that happened to it on one timeline: the chats of the team set linked
// to its contacts (account-links.ts), its contacts (when it first had them, when a chat first linked
// them) and its opportunities' changes, read from the versions the ledger is computed from
// (account-timeline-events.ts). Instants as ISO strings, days in the workspace's zone.
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { calendarFor } from '../attribution/calendar';
import { formatCents, parseCents } from '../attribution/money';
import type { DbOrTx } from '../platform/db/client';
import { notFound } from '../platform/errors';
import { getWorkspace } from '../workspaces/workspaces';
import { money } from '../ledger/money-view';
import { accountChats, contactAccounts } from './account-links';
import { opportunityChanges, type OpportunityChange } from './account-timeline-events';
import { teamsParam } from './dashboard';
import { accountNames, agentNames, contactNames, opportunityNames, salesforceRecordLink, teamNames } from './names';
import type { ReportAccess } from './report-context';
import { parseTeamList, resolveTeamFilter } from './team-scope';

export const accountParams = z.object({
  accountId: z.string().min(1).max(64).meta({ description: 'The Salesforce account id (15 or 18 characters).' }),
});
export const accountTimelineQuery = z.object({ teams: teamsParam });
export type AccountTimelineQuery = z.output<typeof accountTimelineQuery>;

const named = z.object({ id: z.string(), name: z.string().nullable() });
const when = {
  at: z.iso.datetime(),
  day: z.iso.date().meta({ description: 'The day of `at` in the workspace zone.' }),
};
const opportunity = {
  opportunity: named,
  currency: z.string().meta({ description: 'The opportunity’s own currency.' }),
};

export const accountTimelineEvent = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.literal('chat'),
      ...when,
      conversationId: z.string(),
      team: named,
      agent: named.nullable(),
      contacts: z.array(named).meta({ description: 'The account’s contacts the chat is linked to by email.' }),
      targetAccount: z.boolean().meta({ description: 'The chat product identified the visitor as a target account.' }),
    }),
    z.object({
      kind: z.literal('contact_added'),
      ...when,
      contact: named,
      email: z.string().nullable(),
    }),
    z.object({
      kind: z.literal('contact_linked'),
      ...when,
      contact: named,
      conversationId: z.string().meta({ description: 'The first chat linked to the contact.' }),
    }),
    z.object({
      kind: z.literal('opportunity_created'),
      ...when,
      ...opportunity,
      amount: money.nullable(),
      stage: z.string().nullable(),
    }),
    z.object({
      kind: z.literal('amount_changed'),
      ...when,
      ...opportunity,
      from: money.nullable(),
      to: money.nullable(),
    }),
    z.object({
      kind: z.literal('stage_changed'),
      ...when,
      ...opportunity,
      from: z.string().nullable(),
      to: z.string().nullable(),
    }),
    z.object({
      kind: z.literal('opportunity_closed'),
      ...when,
      ...opportunity,
      won: z.boolean(),
      amount: money.nullable(),
    }),
    z.object({ kind: z.literal('opportunity_reopened'), ...when, ...opportunity, stage: z.string().nullable() }),
    z.object({ kind: z.literal('opportunity_deleted'), ...when, ...opportunity }),
    z.object({ kind: z.literal('opportunity_restored'), ...when, ...opportunity }),
  ])
  .meta({ id: 'AccountTimelineEvent' });
export type AccountTimelineEvent = z.infer<typeof accountTimelineEvent>;

export const accountTimeline = z
  .object({
    account: named.extend({
      salesforceUrl: z.url().nullable().meta({ description: 'The account in the connected org; null without one.' }),
    }),
    timeZone: z.string(),
    teams: z.array(z.string()).nullable().meta({ description: 'The teams whose chats are shown; null: all teams.' }),
    targetAccount: z.boolean().meta({ description: 'One of its chats (of the team set) was from a target account.' }),
    chats: z.number().int(),
    contacts: z.number().int().meta({ description: 'Its contacts (not deleted).' }),
    opportunities: z.number().int().meta({ description: 'Its opportunities (not deleted).' }),
    timeline: z.array(accountTimelineEvent).meta({ description: 'Every event, in time order.' }),
  })
  .meta({ id: 'AccountTimeline' });
export type AccountTimeline = z.infer<typeof accountTimeline>;

type Kind = AccountTimelineEvent['kind'];
/** Events of one instant read in the order they happen: a contact exists, chats, is linked, then deals move. */
const RANK: Record<Kind, number> = {
  contact_added: 0,
  chat: 1,
  contact_linked: 2,
  opportunity_created: 3,
  opportunity_restored: 4,
  amount_changed: 5,
  stage_changed: 6,
  opportunity_closed: 7,
  opportunity_reopened: 8,
  opportunity_deleted: 9,
};

export async function accountTimelineOf(
  db: DbOrTx,
  access: ReportAccess,
  accountId: string,
  q: AccountTimelineQuery,
): Promise<AccountTimeline> {
  const workspace = await getWorkspace(db, access.workspaceId);
  const teams = await resolveTeamFilter(db, workspace.id, access.teams, parseTeamList(q.teams));
  const calendar = calendarFor(workspace.timeZone);
  const when: When = (ms) => ({ at: new Date(ms).toISOString(), day: calendar.dayOf(ms) });

  const chats = await chatRows(db, workspace.id, teams, accountId);
  const contacts = await contactRows(db, workspace.id, accountId);
  const versions = await opportunityVersionsOf(db, workspace.id, accountId);
  const known = await accountNames(db, workspace.id, [accountId]);
  // A team-restricted caller sees an account only through its teams' chats, as in the list.
  if ((!known.has(accountId) && contacts.length === 0 && versions.length === 0) || (access.teams && !chats.length)) {
    throw notFound(
      `no account "${accountId}" in this workspace${access.teams ? ' with a chat of your teams' : ''}: ` +
        'take an id from GET /api/v1/accounts',
    );
  }

  const namesOfContacts = await contactNames(
    db,
    workspace.id,
    contacts.map((c) => c.contact_id),
  );
  const contact = (id: string) => ({ id, name: namesOfContacts.get(id) ?? null });
  const teamsByName = await teamNames(db, workspace.id);
  const agents = await agentNames(db, workspace.id);
  const chatEvents: Entry[] = chats.map((c) => ({
    ms: Number(c.at_ms),
    key: c.conversation_id,
    event: {
      kind: 'chat',
      ...when(Number(c.at_ms)),
      conversationId: c.conversation_id,
      team: { id: c.team_id, name: teamsByName.get(c.team_id) ?? null },
      agent: c.agent_id ? { id: c.agent_id, name: agents.get(c.agent_id) ?? null } : null,
      contacts: c.contact_ids.map(contact),
      targetAccount: c.target_account,
    },
  }));
  const opportunityNamed = await opportunityNames(db, workspace.id, [
    ...new Set(versions.map((v) => v.opportunity_id)),
  ]);
  const deals = opportunityEntries(versions, opportunityNamed, workspace.reportingCurrency, when);
  const events = [...chatEvents, ...contactEntries(contacts, chats, contact, when), ...deals.entries];
  events.sort(
    (a, b) => a.ms - b.ms || RANK[a.event.kind] - RANK[b.event.kind] || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );

  const link = await salesforceRecordLink(db, workspace.id);
  return {
    account: { id: accountId, name: known.get(accountId) ?? null, salesforceUrl: link('Account', accountId) },
    timeZone: workspace.timeZone,
    teams,
    targetAccount: chats.some((c) => c.target_account),
    chats: chats.length,
    contacts: contacts.length,
    opportunities: deals.count,
    timeline: events.map((e) => e.event),
  };
}

type When = (ms: number) => { at: string; day: string };
/** An event with its instant and a tie-break, for the one sort. */
interface Entry {
  ms: number;
  key: string;
  event: AccountTimelineEvent;
}

type ChatRow = {
  conversation_id: string;
  at_ms: string;
  team_id: string;
  agent_id: string | null;
  target_account: boolean;
  contact_ids: string[];
};

/** The team set's chats linked to the account, each with the account's contacts it is linked to. */
function chatRows(db: DbOrTx, workspaceId: string, teams: readonly string[] | null, accountId: string) {
  return db.execute<ChatRow>(sql`
    select conversation_id, (extract(epoch from started_at) * 1000)::bigint::text as at_ms, team_id, agent_id,
           target_account, array_agg(contact_id order by contact_id) as contact_ids
    from (${accountChats({ workspaceId, teams, accountIds: [accountId] })}) l
    group by 1, 2, 3, 4, 5`);
}

type ContactRow = { contact_id: string; first_ms: string; email: string | null };

/** Its contacts now (their latest version names it, not deleted), each from its first version naming it. */
function contactRows(db: DbOrTx, workspaceId: string, accountId: string) {
  return db.execute<ContactRow>(sql`
    select contact_id,
           (extract(epoch from min(occurred_at) filter (where account_id = ${accountId})) * 1000)::bigint::text as first_ms,
           (array_agg(email order by occurred_at desc, seq desc) filter (where email is not null))[1] as email
    from contact_versions
    where workspace_id = ${workspaceId}
      and contact_id in (select contact_id from (${contactAccounts(workspaceId, [accountId])}) ca)
    group by 1`);
}

/** Each contact when it joined the account, and when its first chat linked it. */
function contactEntries(
  contacts: readonly ContactRow[],
  chats: readonly ChatRow[],
  contact: (id: string) => { id: string; name: string | null },
  when: When,
): Entry[] {
  const firstChat = new Map<string, { ms: number; conversationId: string }>();
  for (const c of [...chats].sort((a, b) => Number(a.at_ms) - Number(b.at_ms))) {
    for (const id of c.contact_ids)
      if (!firstChat.has(id)) firstChat.set(id, { ms: Number(c.at_ms), conversationId: c.conversation_id });
  }
  return contacts.flatMap((c): Entry[] => {
    const firstMs = Number(c.first_ms);
    const added: Entry = {
      ms: firstMs,
      key: c.contact_id,
      event: { kind: 'contact_added', ...when(firstMs), contact: contact(c.contact_id), email: c.email },
    };
    const chat = firstChat.get(c.contact_id);
    if (!chat) return [added];
    // A chat before the contact existed (a lead converted later) links it when it is created.
    const ms = Math.max(chat.ms, firstMs);
    const linked: AccountTimelineEvent = {
      kind: 'contact_linked',
      ...when(ms),
      contact: contact(c.contact_id),
      conversationId: chat.conversationId,
    };
    return [added, { ms, key: c.contact_id, event: linked }];
  });
}

/** Every opportunity's changes, and how many of them are not deleted. */
function opportunityEntries(
  versions: readonly OpportunityVersionRow[],
  names: Map<string, string>,
  reportingCurrency: string,
  when: When,
): { entries: Entry[]; count: number } {
  const byOpportunity = new Map<string, OpportunityVersionRow[]>();
  for (const v of versions) byOpportunity.set(v.opportunity_id, [...(byOpportunity.get(v.opportunity_id) ?? []), v]);
  const entries: Entry[] = [];
  let count = 0;
  for (const [id, list] of byOpportunity) {
    if (!list.at(-1)!.is_deleted) count += 1;
    const currency = list.findLast((v) => v.currency_iso_code)?.currency_iso_code ?? reportingCurrency;
    const base = { opportunity: { id, name: names.get(id) ?? null }, currency };
    const facts = list.map((v) => ({
      at: Number(v.at_ms),
      deleted: v.is_deleted,
      amount: v.amount === null ? null : formatCents(parseCents(v.amount)),
      stageName: v.stage_name,
      isClosed: v.is_closed,
      isWon: v.is_won,
      createdAt: v.created_ms === null ? null : Number(v.created_ms),
    }));
    for (const change of opportunityChanges(facts))
      entries.push({ ms: change.at, key: id, event: opportunityEvent(change, base, when) });
  }
  return { entries, count };
}

function opportunityEvent(
  change: OpportunityChange,
  base: { opportunity: { id: string; name: string | null }; currency: string },
  when: When,
): AccountTimelineEvent {
  const { at, ...rest } = change;
  return { ...rest, ...when(at), ...base } as AccountTimelineEvent;
}

type OpportunityVersionRow = {
  opportunity_id: string;
  at_ms: string;
  created_ms: string | null;
  is_deleted: boolean;
  amount: string | null;
  currency_iso_code: string | null;
  stage_name: string | null;
  is_closed: boolean;
  is_won: boolean;
};

/** Every version of the opportunities whose latest account is this one, by opportunity in time order. */
async function opportunityVersionsOf(db: DbOrTx, workspaceId: string, accountId: string) {
  return db.execute<OpportunityVersionRow>(sql`
    with ids as (
      select opportunity_id from (
        select distinct on (opportunity_id) opportunity_id, account_id from opportunity_versions
        where workspace_id = ${workspaceId} and account_id is not null
          and opportunity_id in (select opportunity_id from opportunity_versions
                                 where workspace_id = ${workspaceId} and account_id = ${accountId})
        order by opportunity_id, occurred_at desc, seq desc
      ) latest where account_id = ${accountId}
    )
    select opportunity_id, (extract(epoch from occurred_at) * 1000)::bigint::text as at_ms,
           (extract(epoch from created_date) * 1000)::bigint::text as created_ms, is_deleted,
           amount::text as amount, currency_iso_code, stage_name, is_closed, is_won
    from opportunity_versions
    where workspace_id = ${workspaceId} and opportunity_id in (select opportunity_id from ids)
    order by opportunity_id, occurred_at, seq`);
}
