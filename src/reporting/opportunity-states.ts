// Each opportunity's state at an instant (its last version before it, as the engine reads
// versions), with what reports need beside it: when it was created, when it entered its current
// result (open, won, lost), its amount in its own currency and in the reporting currency.
import { sql } from 'drizzle-orm';
import { parseCents, type Cents } from '../attribution/money';
import { currencyConverter } from '../history/load';
import type { DbOrTx } from '../platform/db/client';
import { textArray } from '../platform/db/sql';

export interface OpportunityState {
  opportunityId: string;
  name: string | null;
  accountId: string | null;
  ownerId: string | null;
  stageName: string | null;
  /** In the opportunity's own currency; null when Salesforce has no Amount. */
  amount: Cents | null;
  currency: string | null;
  /** Converted to the reporting currency as attribution converts it; 0 without an Amount. */
  reportingAmount: Cents;
  closeDate: string | null;
  isClosed: boolean;
  isWon: boolean;
  deleted: boolean;
  /** CreatedDate (the first its versions carry, else its first version's instant), epoch ms. */
  createdAt: number;
  /** When it entered its current result (open, won or lost), epoch ms. */
  resultAt: number;
}

type Row = {
  opportunity_id: string;
  name: string | null;
  account_id: string | null;
  owner_id: string | null;
  stage_name: string | null;
  amount: string | null;
  currency: string | null;
  close_date: string | null;
  is_closed: boolean;
  is_won: boolean;
  is_deleted: boolean;
  created_ms: string;
  result_ms: string;
};

/**
 * The state of every opportunity (or of `ids`, or of those a version before `before` put on one of
 * `accountIds`) that existed before `before` (null: now). Names, account and owner are the latest
 * known: OpportunityHistory versions carry none of them. An opportunity's state is read from all of
 * its own versions whichever filter selects it, so a filter only leaves others out.
 */
export async function opportunityStates(
  db: DbOrTx,
  workspaceId: string,
  options: { before?: Date | null; ids?: readonly string[]; accountIds?: readonly string[] } = {},
): Promise<Map<string, OpportunityState>> {
  if (options.ids && options.ids.length === 0) return new Map();
  if (options.accountIds && options.accountIds.length === 0) return new Map();
  const before = options.before ? sql`and occurred_at < ${options.before.toISOString()}::timestamptz` : sql``;
  const ofAccounts = options.accountIds
    ? sql`and opportunity_id in (select opportunity_id from opportunity_versions
          where workspace_id = ${workspaceId} and account_id = any(${textArray(options.accountIds)}) ${before})`
    : sql``;
  const only = options.ids ? sql`and opportunity_id = any(${textArray(options.ids)}) ${ofAccounts}` : ofAccounts;
  const rows = await db.execute<Row>(sql`
    with v as (
      select opportunity_id, occurred_at, seq, is_deleted, is_closed, is_won, amount, stage_name, close_date,
             name, account_id, owner_id, created_date,
             case when is_won then 'won' when is_closed then 'lost' else 'open' end as result
      from opportunity_versions where workspace_id = ${workspaceId} ${only} ${before}
    ), r as (
      select *, lag(result) over (partition by opportunity_id order by occurred_at, seq) as prev_result from v
    ), agg as (
      select opportunity_id,
        (extract(epoch from coalesce(
          (array_agg(created_date order by occurred_at, seq) filter (where created_date is not null))[1],
          min(occurred_at))) * 1000)::bigint::text as created_ms,
        (extract(epoch from max(occurred_at) filter (where prev_result is distinct from result)) * 1000)::bigint::text
          as result_ms,
        (array_agg(name order by occurred_at desc, seq desc) filter (where name is not null))[1] as name,
        (array_agg(account_id order by occurred_at desc, seq desc) filter (where account_id is not null))[1] as account_id,
        (array_agg(owner_id order by occurred_at desc, seq desc) filter (where owner_id is not null))[1] as owner_id
      from r group by 1
    ), currency as (
      -- OpportunityHistory rows carry no currency: an opportunity's amounts are in its own (as load.ts reads them).
      select distinct on (opportunity_id) opportunity_id, currency_iso_code as currency from opportunity_versions
      where workspace_id = ${workspaceId} ${only} and currency_iso_code is not null
      order by opportunity_id, occurred_at desc, seq desc
    ), last as (
      select distinct on (opportunity_id) * from v order by opportunity_id, occurred_at desc, seq desc
    )
    select last.opportunity_id, agg.name, agg.account_id, agg.owner_id, last.stage_name, last.amount::text as amount,
           currency.currency, last.close_date::text as close_date, last.is_closed, last.is_won, last.is_deleted,
           agg.created_ms, agg.result_ms
    from last join agg using (opportunity_id) left join currency using (opportunity_id)`);
  const converter = await currencyConverter(db, workspaceId);
  const out = new Map<string, OpportunityState>();
  for (const r of rows) {
    const amount = r.amount === null ? null : parseCents(r.amount);
    out.set(r.opportunity_id, {
      opportunityId: r.opportunity_id,
      name: r.name,
      accountId: r.account_id,
      ownerId: r.owner_id,
      stageName: r.stage_name,
      amount,
      currency: r.currency,
      reportingAmount: amount === null ? 0n : converter.convert(amount, r.currency, r.close_date),
      closeDate: r.close_date,
      isClosed: r.is_closed,
      isWon: r.is_won,
      deleted: r.is_deleted,
      createdAt: Number(r.created_ms),
      resultAt: Number(r.result_ms),
    });
  }
  return out;
}
