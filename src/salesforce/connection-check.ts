// The connection check: what a Salesforce admin must know before (or after) the first sync, each
// failure in words they act on. API access and version; read access and field-level security for
// every object and field we query; OpportunityHistory and field history; the daily API headroom;
// and an estimate of the first backfill (rows from SELECT COUNT(), API calls, minutes).
import { z } from 'zod';
import { isAppError } from '../platform/errors';
import type { SalesforceApi } from './api-client';
import { describeSalesforceError, salesforceCode } from './errors';
import { OBJECTS, type IncrementalObject } from './objects';
import type { RunContext } from './run-context';
import { FIELD_HISTORY, historyTracking, trackingNote } from './sync-field-history';

export const checkReportView = z
  .object({
    checkedAt: z.string(),
    ok: z.boolean().meta({ description: 'No item failed (warnings allowed)' }),
    items: z.array(
      z.object({
        id: z.string().meta({ example: 'object:Opportunity' }),
        title: z.string(),
        status: z.enum(['ok', 'warning', 'failed']),
        detail: z.string().meta({ description: 'What was found, and what a Salesforce admin does about it' }),
      }),
    ),
    estimate: z
      .object({
        objects: z.array(
          z.object({
            object: z.string(),
            rows: z.number().int(),
            via: z.enum(['rest', 'bulk']),
            apiCalls: z.number().int(),
            minutes: z.number().int(),
          }),
        ),
        apiCalls: z.number().int(),
        minutes: z.number().int(),
      })
      .nullable()
      .meta({ description: 'The first backfill: rows from SELECT COUNT(), API calls and minutes it will take' }),
  })
  .meta({ id: 'SalesforceConnectionCheck' });

export type CheckReport = z.infer<typeof checkReportView>;
export type CheckItem = CheckReport['items'][number];
export type CheckStatus = CheckItem['status'];
export type BackfillEstimate = NonNullable<CheckReport['estimate']>;

/**
 * Throughput the estimate assumes, not measured here: conservative figures for a real org reached
 * over the internet (a REST page of 2,000 rows in about 2 s with its write; a Bulk job about a
 * minute to be ready, then 10,000-row result pages in about 3 s). The rows are counted exactly.
 */
const REST_PAGE = 2_000;
const REST_SECONDS_PER_PAGE = 2;
const BULK_JOB_SECONDS = 60;
const BULK_POLLS = 6;
const BULK_SECONDS_PER_PAGE = 3;

type CheckContext = Pick<RunContext, 'api' | 'onProgress'> & {
  settings: { bulkThreshold: number; bulkPageSize: number; budgetPercent: number };
  multiCurrency: boolean;
};

export async function checkConnection(ctx: CheckContext): Promise<CheckReport> {
  const items: CheckItem[] = [];
  const access = await checkApiAccess(ctx.api);
  items.push(...access);
  let estimate: BackfillEstimate | null = null;
  if (access.every((i) => i.status !== 'failed')) {
    items.push(...(await checkObjects(ctx)));
    for (const spec of FIELD_HISTORY) items.push(await checkHistory(ctx, spec));
    estimate = await estimateBackfill(ctx);
    items.push(await checkHeadroom(ctx.api, estimate, ctx.settings.budgetPercent));
  }
  return { checkedAt: new Date().toISOString(), ok: items.every((i) => i.status !== 'failed'), items, estimate };
}

async function checkApiAccess(api: SalesforceApi): Promise<CheckItem[]> {
  const title = 'API access and version';
  try {
    const versions = await api.get<{ version: string }[]>('/services/data/');
    const newest = versions.map((v) => v.version).sort((a, b) => Number(b) - Number(a))[0];
    if (!versions.some((v) => v.version === api.apiVersion)) {
      return [
        {
          id: 'api',
          title,
          status: 'failed',
          detail: `This org does not offer API version ${api.apiVersion} (its newest is ${newest}). Set SALESFORCE_API_VERSION to a version it offers, e.g. ${newest}.`,
        },
      ];
    }
    await api.get(`/services/data/v${api.apiVersion}/limits`);
    return [
      {
        id: 'api',
        title,
        status: 'ok',
        detail: `The connected user can use the API; version ${api.apiVersion} (the org offers up to ${newest}).`,
      },
    ];
  } catch (err) {
    if (isAppError(err, 'salesforce_reauthorization_required')) throw err;
    return [{ id: 'api', title, status: 'failed', detail: describeSalesforceError(err) }];
  }
}

interface Describe {
  fields: { name: string }[];
  queryable?: boolean;
}

/** Every object and field the sync queries must be readable: a hidden field answers like a missing one. */
async function checkObjects(ctx: CheckContext): Promise<CheckItem[]> {
  const wanted: { object: string; fields: string[]; why: string }[] = [
    {
      object: 'OpportunityStage',
      fields: ['ApiName', 'MasterLabel', 'IsActive', 'IsClosed', 'IsWon'],
      why: 'which stages are closed and won',
    },
    ...OBJECTS.map((spec) => ({
      object: spec.name,
      fields: Object.keys(spec.fields({ multiCurrency: ctx.multiCurrency })),
      why: WHY[spec.name],
    })),
    ...(ctx.multiCurrency
      ? [
          {
            object: 'CurrencyType',
            fields: ['IsoCode', 'ConversionRate', 'IsCorporate', 'IsActive'],
            why: 'conversion rates',
          },
        ]
      : []),
  ];
  const items: CheckItem[] = [];
  for (const w of wanted) {
    const id = `object:${w.object}`;
    const title = `Read access to ${w.object}`;
    try {
      const describe = await ctx.api.get<Describe>(
        `/services/data/v${ctx.api.apiVersion}/sobjects/${w.object}/describe`,
      );
      const visible = new Set(describe.fields.map((f) => f.name));
      const hidden = w.fields.filter((f) => !visible.has(f));
      items.push(
        hidden.length === 0
          ? {
              id,
              title,
              status: 'ok',
              detail: `The connected user reads ${w.object} and the ${w.fields.length} fields we use (${w.why}).`,
            }
          : {
              id,
              title,
              status: 'failed',
              detail: `The connected user cannot read ${hidden.map((f) => `${w.object}.${f}`).join(', ')} (field-level security hides ${hidden.length === 1 ? 'it' : 'them'}, or ${hidden.length === 1 ? 'it does' : 'they do'} not exist). Give read access in Setup → Permission Sets (or the profile) → Object Settings → ${w.object} → Field Permissions. We need ${w.why}.`,
            },
      );
    } catch (err) {
      const code = salesforceCode(err);
      if (isAppError(err, 'salesforce_reauthorization_required')) throw err;
      items.push({
        id,
        title,
        status: 'failed',
        detail:
          code === 'NOT_FOUND' || code === 'INVALID_TYPE'
            ? `The connected user cannot read ${w.object}: give read access to it in Setup → Permission Sets (or the profile) → Object Settings. We need ${w.why}.`
            : describeSalesforceError(err),
      });
    }
  }
  return items;
}

const WHY: Record<IncrementalObject, string> = {
  Contact: 'contacts and their emails, to link chats',
  Lead: 'leads and their conversions, to link chats through converted leads',
  OpportunityHistory: 'OpportunityHistory, which says when each amount and stage changed',
  Opportunity: 'opportunities, their amounts and stages',
  OpportunityContactRole: 'contact roles, which tie contacts to opportunities',
  Account: 'account names, to show beside opportunities (names only: nothing is counted from them)',
  User: 'user names, to show opportunity owners (names only: nothing is counted from them)',
};

async function checkHistory(ctx: CheckContext, spec: (typeof FIELD_HISTORY)[number]): Promise<CheckItem> {
  const id = `history:${spec.name}`;
  const title = `Field history of ${spec.object}`;
  try {
    const tracking = await historyTracking(ctx, spec);
    const note = trackingNote(spec, tracking);
    return note
      ? { id, title, status: 'warning', detail: note }
      : {
          id,
          title,
          status: 'ok',
          detail: `History tracking is on for ${spec.fields.map((f) => `${spec.object}.${f}`).join(' and ')}: we read ${spec.purpose}.${tracking.unknown ? ' (FieldDefinition could not be read to confirm which fields are tracked.)' : ''}`,
        };
  } catch (err) {
    return { id, title, status: 'warning', detail: describeSalesforceError(err) };
  }
}

async function estimateBackfill(ctx: CheckContext): Promise<BackfillEstimate> {
  const objects: BackfillEstimate['objects'] = [];
  for (const spec of OBJECTS) {
    ctx.onProgress?.({ object: spec.name, rows: 0, total: null, phase: 'count' });
    let rows: number;
    try {
      rows = (await ctx.api.queryPage(`SELECT COUNT() FROM ${spec.name}`, true)).totalSize;
    } catch (err) {
      if (isAppError(err, 'salesforce_reauthorization_required')) throw err;
      continue; // its access item says why
    }
    ctx.onProgress?.({ object: spec.name, rows, total: rows, phase: 'count' });
    const bulk = rows > ctx.settings.bulkThreshold;
    const pages = Math.max(1, Math.ceil(rows / (bulk ? ctx.settings.bulkPageSize : REST_PAGE)));
    const apiCalls = 1 + (bulk ? 1 + BULK_POLLS + pages + 1 : pages);
    const seconds = bulk ? BULK_JOB_SECONDS + pages * BULK_SECONDS_PER_PAGE : pages * REST_SECONDS_PER_PAGE;
    objects.push({ object: spec.name, rows, via: bulk ? 'bulk' : 'rest', apiCalls, minutes: roundUp(seconds / 60) });
  }
  // Reference data and the deletion passes: a handful of calls more.
  const extra = 2 + 4 + FIELD_HISTORY.length * 3;
  return {
    objects,
    apiCalls: objects.reduce((n, o) => n + o.apiCalls, extra),
    minutes: roundUp(objects.reduce((n, o) => n + o.minutes, 0)),
  };
}

const roundUp = (minutes: number) => Math.max(1, Math.ceil(minutes));

async function checkHeadroom(
  api: SalesforceApi,
  estimate: BackfillEstimate,
  budgetPercent: number,
): Promise<CheckItem> {
  const title = 'Daily API headroom';
  try {
    const limits = await api.get<{ DailyApiRequests?: { Max: number; Remaining: number } }>(
      `/services/data/v${api.apiVersion}/limits`,
    );
    const daily = limits.DailyApiRequests;
    if (!daily)
      return { id: 'headroom', title, status: 'warning', detail: 'Salesforce did not report DailyApiRequests.' };
    const n = (v: number) => v.toLocaleString('en-US');
    const used = daily.Max - daily.Remaining;
    const budget = Math.floor((daily.Max * budgetPercent) / 100);
    const room = budget - used;
    const words = `${n(used)} of ${n(daily.Max)} daily API requests used; the sync stops at ${budgetPercent}% (${n(budget)}). The first backfill needs about ${n(estimate.apiCalls)}.`;
    if (room < estimate.apiCalls)
      return {
        id: 'headroom',
        title,
        status: 'warning',
        detail: `${words} It will pause at the budget and finish on later days, unless you raise SALESFORCE_API_BUDGET_PERCENT or the org's limit.`,
      };
    return { id: 'headroom', title, status: 'ok', detail: words };
  } catch (err) {
    return { id: 'headroom', title, status: 'warning', detail: describeSalesforceError(err) };
  }
}
