// The influenced opportunities of a range, by name: each with its account, owner, stage, amount
// and close date (its current state in Salesforce), the first chat that touched it and how many
// did, what it added to Pipeline and Closed-Won Influenced in the range, its credit under a model,
// and a link to it in Salesforce. Sorted and paged with an opaque cursor, or whole as CSV.
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { formatCents } from '../attribution/money';
import type { DbOrTx } from '../platform/db/client';
import { textArray } from '../platform/db/sql';
import { money } from '../ledger/money-view';
import { cmpDesc, creditLines, creditModel, sumBy } from './credit';
import { teamsParam } from './dashboard';
import { opportunityDeltas } from './influence-inputs';
import { accountNames, agentNames, salesforceRecordLink, teamNames, userNames } from './names';
import { opportunityStates } from './opportunity-states';
import { reportContext, type ReportAccess } from './report-context';
import { pageAfter, sortRows, type Sortable } from './keyset-page';
import { periodQuery } from './reporting-period';

export const OPPORTUNITY_SORTS = [
  'pipelineInfluenced',
  'closedWonInfluenced',
  'amount',
  'closeDate',
  'firstChatAt',
  'chats',
  'name',
] as const;
type Sort = (typeof OPPORTUNITY_SORTS)[number];

export const opportunityFilters = periodQuery.extend({
  teams: teamsParam,
  model: creditModel,
  sort: z
    .enum(OPPORTUNITY_SORTS)
    .default('pipelineInfluenced')
    .meta({ description: 'The column to sort by. Default: pipelineInfluenced.' }),
  order: z.enum(['asc', 'desc']).default('desc').meta({ description: 'Empty values sort last either way.' }),
});
export const opportunityListQuery = opportunityFilters.extend({
  limit: z.coerce.number().int().min(1).max(500).default(50).meta({ description: 'Rows per page, 1 to 500.' }),
  cursor: z
    .string()
    .max(1000)
    .optional()
    .meta({ description: 'nextCursor of the previous page, with the same query.' }),
});
export type OpportunityFilters = z.output<typeof opportunityFilters>;
export type OpportunityListQuery = z.output<typeof opportunityListQuery>;

const named = z.object({ id: z.string(), name: z.string().nullable() });
export const influencedOpportunity = z
  .object({
    id: z.string().meta({ description: 'The Salesforce opportunity id.' }),
    name: z.string().nullable(),
    account: named.nullable(),
    owner: named.nullable().meta({ description: 'The Salesforce user who owns the opportunity.' }),
    stage: z.string().nullable(),
    amount: money.nullable().meta({ description: 'Its Amount now, in its own currency (amountCurrency).' }),
    amountCurrency: z.string(),
    closeDate: z.iso.date().nullable(),
    isClosed: z.boolean(),
    isWon: z.boolean(),
    deleted: z.boolean().meta({ description: 'Deleted in Salesforce since (its influence was reversed).' }),
    influenceStartedOn: z.iso.date().meta({ description: 'The day the team set’s first touch took effect.' }),
    firstChat: z
      .object({
        conversationId: z.string(),
        startedAt: z.iso.datetime(),
        teamId: z.string(),
        teamName: z.string(),
        agentId: z.string().nullable(),
        agentName: z.string().nullable(),
      })
      .meta({ description: 'The earliest conversation of the team set that touched it.' }),
    chats: z.number().int().meta({ description: 'Conversations of the team set that touched it (ever).' }),
    pipelineInfluenced: money.meta({ description: 'Its Pipeline Influenced deltas in the range, summed.' }),
    closedWonInfluenced: money.meta({ description: 'Its Closed-Won Influenced deltas in the range, summed.' }),
    credit: z
      .array(
        z.object({
          conversationId: z.string(),
          teamId: z.string(),
          agentId: z.string().nullable(),
          agentName: z.string().nullable(),
          pipeline: money,
          closedWon: money,
        }),
      )
      .meta({
        description:
          'How the model splits its influence in the range among the conversations that touched it (the team set’s), ' +
          'largest first: the shares add up to pipelineInfluenced and closedWonInfluenced.',
      }),
    salesforceUrl: z.url().nullable().meta({ description: 'The record in the connected org; null without one.' }),
  })
  .meta({ id: 'InfluencedOpportunity' });
export type InfluencedOpportunity = z.infer<typeof influencedOpportunity>;

export const influencedOpportunityPage = z
  .object({
    from: z.iso.date(),
    to: z.iso.date(),
    currency: z.string().meta({ description: 'The reporting currency of the influence and credit columns.' }),
    teams: z.array(z.string()).nullable(),
    model: creditModel,
    sort: z.enum(OPPORTUNITY_SORTS),
    order: z.enum(['asc', 'desc']),
    total: z.number().int().meta({ description: 'Opportunities in the list, on every page.' }),
    items: z.array(influencedOpportunity),
    nextCursor: z.string().nullable().meta({ description: 'Pass it as cursor for the next page; null on the last.' }),
  })
  .meta({
    id: 'InfluencedOpportunityPage',
    description:
      'Opportunities whose influence (for the team set) started by the end of the range and that either started in ' +
      'the range or changed Pipeline or Closed-Won Influenced in it.',
  });
export type InfluencedOpportunityPage = z.infer<typeof influencedOpportunityPage>;

interface Row extends Sortable<Sort> {
  view: InfluencedOpportunity;
}

/** Every influenced opportunity of the range, sorted; the list and the CSV both read this. */
export async function influencedOpportunities(
  db: DbOrTx,
  access: ReportAccess,
  q: OpportunityFilters,
  now: Date,
): Promise<{ header: Omit<InfluencedOpportunityPage, 'items' | 'nextCursor' | 'total'>; rows: Row[] }> {
  const { workspace, range, teams } = await reportContext(db, access, q, now);
  const scope = { workspaceId: workspace.id, teams };
  const teamFilter = teams ? sql`and team_id = any(${textArray(teams)})` : sql``;
  const starts = await db.execute<{ opportunity_id: string; start_day: string }>(sql`
    select opportunity_id, min(start_day)::text as start_day from opportunity_influence
    where workspace_id = ${workspace.id} ${teamFilter}
    group by 1 having min(start_day) <= ${range.to}::date`);
  const deltas = await opportunityDeltas(db, scope, range);
  const listed = starts.filter((s) => s.start_day >= range.from || deltas.has(s.opportunity_id));
  const ids = listed.map((s) => s.opportunity_id);

  const lines = await creditLines(db, scope, range, q.model);
  const credit = sumBy(lines, (l) => `${l.opportunityId}\u0000${l.touch?.conversationId ?? ''}`);
  const touchOf = new Map(lines.flatMap((l) => (l.touch ? [[l.touch.conversationId, l.touch] as const] : [])));
  const chats = await firstChats(db, workspace.id, teams, ids);
  const states = await opportunityStates(db, workspace.id, { ids });
  const accounts = await accountNames(
    db,
    workspace.id,
    [...states.values()].flatMap((s) => s.accountId ?? []),
  );
  const owners = await userNames(
    db,
    workspace.id,
    [...states.values()].flatMap((s) => s.ownerId ?? []),
  );
  const teamsByName = await teamNames(db, workspace.id);
  const agents = await agentNames(db, workspace.id);
  const link = await salesforceRecordLink(db, workspace.id);

  const rows: Row[] = [];
  for (const s of listed) {
    const id = s.opportunity_id;
    const state = states.get(id);
    const chat = chats.get(id);
    if (!state || !chat) continue; // touches and versions are written together; never apart
    const days = deltas.get(id) ?? [];
    const influence = days.reduce(
      (t, d) => ({ pipeline: t.pipeline + d.pipeline, closedWon: t.closedWon + d.closedWon }),
      { pipeline: 0n, closedWon: 0n },
    );
    const shares = [...credit]
      .filter(([k]) => k.startsWith(`${id}\u0000`))
      .map(([k, c]) => ({ touch: touchOf.get(k.slice(id.length + 1)), ...c }))
      .sort((a, b) => cmpDesc(a.pipeline, b.pipeline) || cmpDesc(a.closedWon, b.closedWon));
    const view: InfluencedOpportunity = {
      id,
      name: state.name,
      account: state.accountId ? { id: state.accountId, name: accounts.get(state.accountId) ?? null } : null,
      owner: state.ownerId ? { id: state.ownerId, name: owners.get(state.ownerId) ?? null } : null,
      stage: state.stageName,
      amount: state.amount === null ? null : formatCents(state.amount),
      amountCurrency: state.currency ?? workspace.reportingCurrency,
      closeDate: state.closeDate,
      isClosed: state.isClosed,
      isWon: state.isWon,
      deleted: state.deleted,
      influenceStartedOn: s.start_day,
      firstChat: {
        conversationId: chat.conversationId,
        startedAt: chat.startedAt.toISOString(),
        teamId: chat.teamId,
        teamName: teamsByName.get(chat.teamId) ?? chat.teamId,
        agentId: chat.agentId,
        agentName: chat.agentId ? (agents.get(chat.agentId) ?? null) : null,
      },
      chats: chat.count,
      pipelineInfluenced: formatCents(influence.pipeline),
      closedWonInfluenced: formatCents(influence.closedWon),
      credit: shares.map((c) => ({
        conversationId: c.touch?.conversationId ?? '',
        teamId: c.touch?.teamId ?? '',
        agentId: c.touch?.agentId ?? null,
        agentName: c.touch?.agentId ? (agents.get(c.touch.agentId) ?? null) : null,
        pipeline: formatCents(c.pipeline),
        closedWon: formatCents(c.closedWon),
      })),
      salesforceUrl: link('Opportunity', id),
    };
    rows.push({
      id,
      view,
      sortable: {
        pipelineInfluenced: influence.pipeline,
        closedWonInfluenced: influence.closedWon,
        amount: state.amount,
        closeDate: state.closeDate,
        firstChatAt: chat.startedAt.getTime(),
        chats: chat.count,
        name: state.name?.toLowerCase() ?? null,
      },
    });
  }
  sortRows(rows, q.sort, q.order);
  return {
    header: {
      from: range.from,
      to: range.to,
      currency: workspace.reportingCurrency,
      teams,
      model: q.model,
      sort: q.sort,
      order: q.order,
    },
    rows,
  };
}

export async function listInfluencedOpportunities(
  db: DbOrTx,
  access: ReportAccess,
  q: OpportunityListQuery,
  now = new Date(),
): Promise<InfluencedOpportunityPage> {
  const { header, rows } = await influencedOpportunities(db, access, q, now);
  const { items, nextCursor } = pageAfter(rows, q, OPPORTUNITY_SORTS);
  return { ...header, total: rows.length, items: items.map((r) => r.view), nextCursor };
}

interface FirstChat {
  conversationId: string;
  startedAt: Date;
  teamId: string;
  agentId: string | null;
  count: number;
}

/** Per opportunity: the team set's earliest touching conversation, and how many touched it. */
async function firstChats(
  db: DbOrTx,
  workspaceId: string,
  teams: readonly string[] | null,
  ids: readonly string[],
): Promise<Map<string, FirstChat>> {
  if (ids.length === 0) return new Map();
  const teamFilter = teams ? sql`and t.team_id = any(${textArray(teams)})` : sql``;
  const rows = await db.execute<{
    opportunity_id: string;
    conversation_id: string;
    started_at: string;
    team_id: string;
    agent_id: string | null;
    n: number;
  }>(sql`
    select distinct on (t.opportunity_id) t.opportunity_id, t.conversation_id, c.started_at::text as started_at,
           t.team_id, t.agent_id, count(*) over (partition by t.opportunity_id)::int as n
    from opportunity_touches t
    join conversations c on c.workspace_id = t.workspace_id and c.id = t.conversation_id
    where t.workspace_id = ${workspaceId} and t.opportunity_id = any(${textArray(ids)}) ${teamFilter}
    order by t.opportunity_id, c.started_at, t.conversation_id`);
  return new Map(
    rows.map((r) => [
      r.opportunity_id,
      {
        conversationId: r.conversation_id,
        startedAt: new Date(r.started_at),
        teamId: r.team_id,
        agentId: r.agent_id,
        count: r.n,
      },
    ]),
  );
}

export const OPPORTUNITY_CSV_COLUMNS = [
  'opportunity_id',
  'name',
  'account_id',
  'account_name',
  'owner_id',
  'owner_name',
  'stage',
  'amount',
  'amount_currency',
  'close_date',
  'influence_started_on',
  'first_chat_at',
  'first_chat_conversation_id',
  'first_chat_team',
  'first_chat_agent',
  'chats',
  'pipeline_influenced',
  'closed_won_influenced',
  'credit_model',
  'credit',
  'currency',
  'salesforce_url',
] as const;
export type OpportunityCsvRecord = Record<(typeof OPPORTUNITY_CSV_COLUMNS)[number], string>;

export async function influencedOpportunityCsvRecords(
  db: DbOrTx,
  access: ReportAccess,
  q: OpportunityFilters,
  now = new Date(),
): Promise<OpportunityCsvRecord[]> {
  const { header, rows } = await influencedOpportunities(db, access, q, now);
  return rows.map(({ view: o }) => ({
    opportunity_id: o.id,
    name: o.name ?? '',
    account_id: o.account?.id ?? '',
    account_name: o.account?.name ?? '',
    owner_id: o.owner?.id ?? '',
    owner_name: o.owner?.name ?? '',
    stage: o.stage ?? '',
    amount: o.amount ?? '',
    amount_currency: o.amountCurrency,
    close_date: o.closeDate ?? '',
    influence_started_on: o.influenceStartedOn,
    first_chat_at: o.firstChat.startedAt,
    first_chat_conversation_id: o.firstChat.conversationId,
    first_chat_team: o.firstChat.teamName,
    first_chat_agent: o.firstChat.agentName ?? o.firstChat.agentId ?? '',
    chats: String(o.chats),
    pipeline_influenced: o.pipelineInfluenced,
    closed_won_influenced: o.closedWonInfluenced,
    credit_model: header.model,
    // "agent or team: pipeline / closed-won" per conversation, largest first.
    credit: o.credit
      .map((c) => `${c.agentName ?? c.agentId ?? c.teamId} (${c.conversationId}): ${c.pipeline} / ${c.closedWon}`)
      .join('; '),
    currency: header.currency,
    salesforce_url: o.salesforceUrl ?? '',
  }));
}
