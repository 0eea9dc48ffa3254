// Small objects read whole on every run: OpportunityStage (closed and won per stage, to read
// OpportunityHistory rows), LeadStatus (the funnel's stages) and, in multi-currency orgs, the
// conversion rates.
import { eq, sql } from 'drizzle-orm';
import { currencyRates, salesforceConnections, salesforceLeadStatuses, salesforceStages } from '../platform/db/schema';
import { markWorkspaceDirty } from '../history/mark-dirty';
import { salesforceCode } from './errors';
import type { StageFlags } from './objects';
import { sfBoolean, sfDate, sfString, type SfRecord } from './records';
import type { RunContext } from './run-context';
import { withTransaction } from '../platform/tx';

async function queryAllRecords(ctx: RunContext, soql: string): Promise<SfRecord[]> {
  const records: SfRecord[] = [];
  let page = await ctx.api.queryPage<SfRecord>(soql, false);
  records.push(...page.records);
  while (!page.done && page.nextRecordsUrl) {
    page = await ctx.api.nextPage<SfRecord>(page.nextRecordsUrl);
    records.push(...page.records);
  }
  return records;
}

export async function syncStages(ctx: RunContext): Promise<Map<string, StageFlags>> {
  const records = await queryAllRecords(
    ctx,
    'SELECT Id, ApiName, MasterLabel, IsActive, IsClosed, IsWon FROM OpportunityStage',
  );
  const workspaceId = ctx.connection.workspaceId;
  const stages = new Map<string, StageFlags & { isActive: boolean }>();
  for (const r of records) {
    const flags = { isClosed: sfBoolean(r.IsClosed), isWon: sfBoolean(r.IsWon), isActive: sfBoolean(r.IsActive) };
    // Opportunity.StageName holds the API name; older rows may hold the label.
    for (const name of [sfString(r.ApiName), sfString(r.MasterLabel)]) if (name) stages.set(name, flags);
  }
  if (stages.size > 0) {
    await ctx.db
      .insert(salesforceStages)
      .values([...stages].map(([stageName, f]) => ({ workspaceId, stageName, ...f })))
      .onConflictDoUpdate({
        target: [salesforceStages.workspaceId, salesforceStages.stageName],
        set: { isClosed: sql`excluded.is_closed`, isWon: sql`excluded.is_won`, isActive: sql`excluded.is_active` },
      });
  }
  ctx.rows.OpportunityStage = records.length;
  return stages;
}

/**
 * The LeadStatus picklist (object reference: "LeadStatus": ApiName, MasterLabel, IsConverted,
 * IsDefault, SortOrder; query() only). Values that left the picklist stay, inactive: old lead
 * versions still hold them. Lead.Status holds the API name.
 */
export async function syncLeadStatuses(ctx: RunContext): Promise<void> {
  const records = await queryAllRecords(
    ctx,
    'SELECT Id, ApiName, MasterLabel, IsConverted, IsDefault, SortOrder FROM LeadStatus',
  );
  const workspaceId = ctx.connection.workspaceId;
  const rows = records.map((r) => {
    const label = sfString(r.MasterLabel) ?? String(r.Id);
    return {
      workspaceId,
      apiName: sfString(r.ApiName) ?? label,
      masterLabel: label,
      isConverted: sfBoolean(r.IsConverted),
      isDefault: sfBoolean(r.IsDefault),
      sortOrder: typeof r.SortOrder === 'number' ? r.SortOrder : r.SortOrder ? Number(r.SortOrder) : null,
      isActive: true,
    };
  });
  await withTransaction(ctx.db, async (tx) => {
    await tx
      .update(salesforceLeadStatuses)
      .set({ isActive: false })
      .where(eq(salesforceLeadStatuses.workspaceId, workspaceId));
    if (rows.length === 0) return;
    await tx
      .insert(salesforceLeadStatuses)
      .values(rows)
      .onConflictDoUpdate({
        target: [salesforceLeadStatuses.workspaceId, salesforceLeadStatuses.apiName],
        set: {
          masterLabel: sql`excluded.master_label`,
          isConverted: sql`excluded.is_converted`,
          isDefault: sql`excluded.is_default`,
          sortOrder: sql`excluded.sort_order`,
          isActive: true,
        },
      });
  });
  ctx.rows.LeadStatus = records.length;
}

/**
 * Reads CurrencyType (and DatedConversionRate, with advanced currency management). An org
 * without multi-currency answers INVALID_TYPE: then amounts are taken as they are.
 */
export async function syncCurrencies(ctx: RunContext): Promise<boolean> {
  let types: SfRecord[];
  try {
    types = await queryAllRecords(ctx, 'SELECT Id, IsoCode, ConversionRate, IsCorporate, IsActive FROM CurrencyType');
  } catch (err) {
    if (salesforceCode(err) === 'INVALID_TYPE') return setMultiCurrency(ctx, false);
    throw err;
  }
  let dated: SfRecord[] = [];
  try {
    dated = await queryAllRecords(
      ctx,
      'SELECT Id, IsoCode, ConversionRate, StartDate, NextStartDate FROM DatedConversionRate',
    );
  } catch (err) {
    if (salesforceCode(err) !== 'INVALID_TYPE') throw err;
  }
  const workspaceId = ctx.connection.workspaceId;
  const rows = [
    ...types.map((r) => ({
      workspaceId,
      sourceId: String(r.Id),
      isoCode: String(r.IsoCode),
      rate: String(r.ConversionRate),
      startDate: null,
      nextStartDate: null,
      isCorporate: sfBoolean(r.IsCorporate),
      isDeleted: false,
    })),
    ...dated.map((r) => ({
      workspaceId,
      sourceId: String(r.Id),
      isoCode: String(r.IsoCode),
      rate: String(r.ConversionRate),
      startDate: sfDate(r.StartDate),
      nextStartDate: sfDate(r.NextStartDate),
      isCorporate: false,
      isDeleted: false,
    })),
  ];
  await withTransaction(ctx.db, async (tx) => {
    const before = await tx.select().from(currencyRates).where(eq(currencyRates.workspaceId, workspaceId));
    const key = (r: {
      sourceId: string;
      isoCode: string;
      rate: string;
      startDate: string | null;
      nextStartDate: string | null;
      isCorporate: boolean;
    }) => `${r.sourceId}|${r.isoCode}|${Number(r.rate)}|${r.startDate}|${r.nextStartDate}|${r.isCorporate}`;
    const changed =
      before
        .filter((r) => !r.isDeleted)
        .map(key)
        .sort()
        .join('\n') !== rows.map(key).sort().join('\n');
    if (!changed) return;
    await tx.update(currencyRates).set({ isDeleted: true }).where(eq(currencyRates.workspaceId, workspaceId));
    if (rows.length > 0) {
      await tx
        .insert(currencyRates)
        .values(rows)
        .onConflictDoUpdate({
          target: [currencyRates.workspaceId, currencyRates.sourceId],
          set: {
            isoCode: sql`excluded.iso_code`,
            rate: sql`excluded.rate`,
            startDate: sql`excluded.start_date`,
            nextStartDate: sql`excluded.next_start_date`,
            isCorporate: sql`excluded.is_corporate`,
            isDeleted: false,
          },
        });
    }
    // New rates change converted amounts: every opportunity is recomputed.
    await markWorkspaceDirty(tx, workspaceId);
  });
  ctx.rows.CurrencyType = types.length + dated.length;
  return setMultiCurrency(ctx, true);
}

async function setMultiCurrency(ctx: RunContext, on: boolean): Promise<boolean> {
  if (ctx.connection.multiCurrency !== on) {
    await ctx.db
      .update(salesforceConnections)
      .set({ multiCurrency: on })
      .where(eq(salesforceConnections.id, ctx.connection.id));
  }
  return on;
}

/**
 * Currencies our history holds amounts in, or the reporting currency, that have no rate: those
 * amounts are counted unconverted, and the admin must know. Empty outside multi-currency orgs.
 */
export async function currenciesWithoutRate(ctx: RunContext): Promise<string[]> {
  if (!ctx.mapping.multiCurrency) return [];
  const rows = await ctx.db.execute<{ code: string }>(sql`
    select code from (
      select distinct currency_iso_code as code from opportunity_versions
      where workspace_id = ${ctx.connection.workspaceId} and currency_iso_code is not null
      union select reporting_currency from workspaces where id = ${ctx.connection.workspaceId}
    ) used
    where not exists (
      select 1 from currency_rates r
      where r.workspace_id = ${ctx.connection.workspaceId} and r.iso_code = used.code and not r.is_deleted
    ) order by 1`);
  return rows.map((r) => r.code);
}
