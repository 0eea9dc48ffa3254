// Credit: who earned the influence of a range (ATTRIBUTION.md "Credit models (v1.1)"). Each daily
// delta of the team set is split among the set's eligible touches by the pure engine; rows group
// the credits by team, agent, conversation or opportunity. The deltas are the dashboard's own
// (influence-inputs.ts), so the totals equal GET /api/v1/dashboard's for the same range and teams.
import { z } from 'zod';
import { CREDIT_MODELS, creditOpportunity, type CreditModel } from '../attribution/credit';
import { formatCents, type Cents } from '../attribution/money';
import type { DbOrTx } from '../platform/db/client';
import { money } from '../ledger/money-view';
import { teamsParam } from './dashboard';
import { opportunityDeltas, touchesOf, type InfluenceScope, type StoredTouch } from './influence-inputs';
import { agentNames, conversationLabels, opportunityNames, teamNames } from './names';
import { reportContext, type ReportAccess } from './report-context';
import { periodQuery, type DayRange } from './reporting-period';

export const creditModel = z
  .enum(CREDIT_MODELS)
  .default('linear')
  .meta({
    description:
      'first, last, linear, u_shaped (40/20/40) or time_decay (half-life 7 days): how each daily delta is split ' +
      'among the conversations that touched the opportunity by that day. Default: linear.',
  });

export const creditGroupBy = z.enum(['team', 'agent', 'conversation', 'opportunity']);
export type CreditGroupBy = z.infer<typeof creditGroupBy>;

export const creditQuery = periodQuery.extend({
  teams: teamsParam,
  model: creditModel,
  groupBy: creditGroupBy.default('team').meta({ description: 'What a row is. Default: team.' }),
});
export type CreditQuery = z.output<typeof creditQuery>;

const amounts = {
  pipeline: money.meta({
    description: 'Credit of Pipeline Influenced: the sum of the row’s shares of the daily deltas.',
  }),
  closedWon: money.meta({ description: 'Credit of Closed-Won Influenced, the same way.' }),
};

export const creditView = z
  .object({
    model: z.enum(CREDIT_MODELS),
    groupBy: creditGroupBy,
    from: z.iso.date(),
    to: z.iso.date(),
    currency: z.string(),
    teams: z.array(z.string()).nullable().meta({ description: 'The teams counted; null: all teams.' }),
    rows: z
      .array(
        z.object({
          key: z
            .string()
            .nullable()
            .meta({
              description:
                'The team, agent, conversation or opportunity id. null: conversations without an agent (groupBy=agent), ' +
                'or influence not attributable yet (a recompute is pending).',
            }),
          name: z.string().meta({ description: 'Its name (the id when it has none).' }),
          ...amounts,
        }),
      )
      .meta({ description: 'Rows with any credit in the range, by pipeline credit, then closed-won, then key.' }),
    totals: z.object(amounts).meta({
      description: 'The sum of the rows: equal to the dashboard’s influence totals for the same range and teams.',
    }),
  })
  .meta({ id: 'Credit' });
export type CreditView = z.infer<typeof creditView>;

/** One touch's share of one day of one opportunity; `touch` null when no touch can take it (see below). */
export interface CreditLine {
  opportunityId: string;
  day: string;
  touch: StoredTouch | null;
  pipeline: Cents;
  closedWon: Cents;
}

/**
 * Every touch's credit on every day of the range, for the team set. An opportunity whose stored
 * touches cannot take its deltas (they are recomputed in the same transaction as the ledger, so
 * only a bug could cause it) is kept whole on a line without a touch: totals never lose a cent.
 */
export async function creditLines(
  db: DbOrTx,
  scope: InfluenceScope,
  range: DayRange,
  model: CreditModel,
): Promise<CreditLine[]> {
  const deltas = await opportunityDeltas(db, scope, range);
  const touches = await touchesOf(db, scope, [...deltas.keys()]);
  const lines: CreditLine[] = [];
  for (const [opportunityId, days] of deltas) {
    try {
      for (const c of creditOpportunity(model, days, touches.get(opportunityId) ?? []))
        lines.push({ opportunityId, day: c.day, touch: c.touch, pipeline: c.pipeline, closedWon: c.closedWon });
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      for (const d of days)
        lines.push({ opportunityId, day: d.day, touch: null, pipeline: d.pipeline, closedWon: d.closedWon });
    }
  }
  return lines;
}

export interface Sums {
  pipeline: Cents;
  closedWon: Cents;
}

/** Sums lines by a key of each. */
export function sumBy<K>(lines: readonly CreditLine[], key: (line: CreditLine) => K): Map<K, Sums> {
  const out = new Map<K, Sums>();
  for (const l of lines) {
    const k = key(l);
    const s = out.get(k) ?? { pipeline: 0n, closedWon: 0n };
    s.pipeline += l.pipeline;
    s.closedWon += l.closedWon;
    out.set(k, s);
  }
  return out;
}

const KEY: Record<CreditGroupBy, (l: CreditLine) => string | null> = {
  team: (l) => l.touch?.teamId ?? null,
  agent: (l) => l.touch?.agentId ?? null,
  conversation: (l) => l.touch?.conversationId ?? null,
  opportunity: (l) => l.opportunityId,
};

export async function buildCredit(
  db: DbOrTx,
  access: ReportAccess,
  q: CreditQuery,
  now = new Date(),
): Promise<CreditView> {
  const { workspace, range, teams } = await reportContext(db, access, q, now);
  const lines = await creditLines(db, { workspaceId: workspace.id, teams }, range, q.model);
  const sums = sumBy(lines, (l) => (l.touch === null && q.groupBy !== 'opportunity' ? null : KEY[q.groupBy](l)));
  const unattributable = lines.some((l) => l.touch === null);
  const keys = [...sums.keys()].filter((k): k is string => k !== null);
  const names = await namesFor(db, q.groupBy, workspace.id, workspace.timeZone, keys);
  const nullName =
    q.groupBy === 'agent' && !unattributable ? '(no agent)' : '(not attributable yet: a recompute is pending)';

  const rows = [...sums]
    .map(([key, s]) => ({ key, name: key === null ? nullName : (names.get(key) ?? key), ...s }))
    .sort(
      (a, b) =>
        cmpDesc(a.pipeline, b.pipeline) ||
        cmpDesc(a.closedWon, b.closedWon) ||
        (a.key ?? '\uffff').localeCompare(b.key ?? '\uffff'),
    );
  const totals = rows.reduce((t, r) => ({ pipeline: t.pipeline + r.pipeline, closedWon: t.closedWon + r.closedWon }), {
    pipeline: 0n,
    closedWon: 0n,
  });
  return {
    model: q.model,
    groupBy: q.groupBy,
    from: range.from,
    to: range.to,
    currency: workspace.reportingCurrency,
    teams,
    rows: rows.map((r) => ({
      key: r.key,
      name: r.name,
      pipeline: formatCents(r.pipeline),
      closedWon: formatCents(r.closedWon),
    })),
    totals: { pipeline: formatCents(totals.pipeline), closedWon: formatCents(totals.closedWon) },
  };
}

function namesFor(
  db: DbOrTx,
  groupBy: CreditGroupBy,
  workspaceId: string,
  timeZone: string,
  keys: string[],
): Promise<Map<string, string>> {
  switch (groupBy) {
    case 'team':
      return teamNames(db, workspaceId);
    case 'agent':
      return agentNames(db, workspaceId);
    case 'conversation':
      return conversationLabels(db, workspaceId, timeZone, keys);
    case 'opportunity':
      return opportunityNames(db, workspaceId, keys);
  }
}

export const cmpDesc = (a: bigint, b: bigint) => (a === b ? 0 : a > b ? -1 : 1);
