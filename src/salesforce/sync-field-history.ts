// The field history Salesforce already keeps, where tracking is on: ContactHistory (Email) and
// LeadHistory (Status, Email), read incrementally by CreatedDate through queryAll. A contact's
// earlier emails then link chats from before the first sync, and lead status over time is kept for
// the funnel. Where tracking is off (the History object does not exist, or the field is not
// tracked), the object's status says so, in words a Salesforce admin acts on.
import { recordFieldHistory, type NewFieldHistory } from '../history/record-field-history';
import { withTransaction } from '../platform/tx';
import { salesforceCode } from './errors';
import { stripNul } from './record-text';
import { sfDateTime, sfString, type SfRecord } from './records';
import type { RunContext } from './run-context';
import { advanceCheckpoint, advanceWatermark, objectState, updateObjectState } from './sync-state';
import { passLowerBound } from './sync-window';

export interface HistorySpec {
  name: 'ContactHistory' | 'LeadHistory';
  object: 'Contact' | 'Lead';
  parent: 'ContactId' | 'LeadId';
  fields: string[];
  /** What it gives us, for the words of the status. */
  purpose: string;
}

export const FIELD_HISTORY: HistorySpec[] = [
  {
    name: 'ContactHistory',
    object: 'Contact',
    parent: 'ContactId',
    fields: ['Email'],
    purpose: "a contact's earlier emails, so chats from before the first sync link to it",
  },
  {
    name: 'LeadHistory',
    object: 'Lead',
    parent: 'LeadId',
    fields: ['Status', 'Email'],
    purpose: 'lead status over time, and the earlier emails of converted leads',
  },
];

export type TrackingState = { available: boolean; tracked: string[]; untracked: string[]; unknown: boolean };

/**
 * Which of the fields we want have history tracking on. The History object exists only once
 * tracking is on for its object (INVALID_TYPE otherwise); FieldDefinition.IsFieldHistoryTracked
 * says which fields. Unknown when FieldDefinition cannot be read (we then read what there is).
 */
export async function historyTracking(ctx: Pick<RunContext, 'api'>, spec: HistorySpec): Promise<TrackingState> {
  try {
    // One row at most: COUNT() over a large history object can time out.
    await ctx.api.queryPage(`SELECT Id FROM ${spec.name} LIMIT 1`, false);
  } catch (err) {
    if (salesforceCode(err) === 'INVALID_TYPE')
      return { available: false, tracked: [], untracked: spec.fields, unknown: false };
    throw err;
  }
  try {
    const page = await ctx.api.queryPage<SfRecord>(
      `SELECT QualifiedApiName, IsFieldHistoryTracked FROM FieldDefinition WHERE EntityDefinitionId = '${spec.object}'`,
      false,
    );
    const on = new Set(
      page.records
        .filter((r) => r.IsFieldHistoryTracked === true || r.IsFieldHistoryTracked === 'true')
        .map((r) => String(r.QualifiedApiName)),
    );
    return {
      available: true,
      tracked: spec.fields.filter((f) => on.has(f)),
      untracked: spec.fields.filter((f) => !on.has(f)),
      unknown: false,
    };
  } catch (err) {
    if (!['INVALID_TYPE', 'INVALID_FIELD', 'MALFORMED_QUERY', 'INSUFFICIENT_ACCESS'].includes(salesforceCode(err)))
      throw err;
    return { available: true, tracked: spec.fields, untracked: [], unknown: true };
  }
}

/** Words for the status and the connection check when some tracking is off; null when all is on. */
export function trackingNote(spec: HistorySpec, t: TrackingState): string | null {
  const setup = `Setup → Object Manager → ${spec.object} → Fields & Relationships → Set History Tracking`;
  if (!t.available)
    return `Field history tracking is off for ${spec.object} in this org, so we cannot read ${spec.purpose}. To get it from now on, turn it on in ${setup} and tick ${spec.fields.join(' and ')}.`;
  if (t.untracked.length > 0)
    return `Field history tracking is on for ${spec.object}, but not for ${t.untracked.join(' and ')}: without it we lack ${spec.purpose}. Tick ${t.untracked.join(' and ')} in ${setup}.`;
  return null;
}

export async function syncFieldHistory(ctx: RunContext): Promise<void> {
  for (const spec of FIELD_HISTORY) await syncOne(ctx, spec);
}

async function syncOne(ctx: RunContext, spec: HistorySpec): Promise<void> {
  const { connection } = ctx;
  const state = await objectState(ctx.db, connection.id, spec.name);
  await updateObjectState(ctx.db, connection.id, spec.name, {
    lastRunStartedAt: new Date(),
    lastRunFinishedAt: null,
    lastOutcome: 'running',
    lastError: null,
  });
  const tracking = await historyTracking(ctx, spec);
  const note = trackingNote(spec, tracking);
  if (!tracking.available || tracking.tracked.length === 0) {
    await updateObjectState(ctx.db, connection.id, spec.name, {
      lastRunFinishedAt: new Date(),
      lastOutcome: 'unavailable',
      lastRows: 0,
      lastNote: note,
    });
    return;
  }
  // CreatedDate works as SystemModstamp does for the objects: from the watermark (sync-window.ts).
  const since = passLowerBound(state, ctx.settings.overlapMs);
  const fields = tracking.tracked.map((f) => `'${f}'`).join(', ');
  let page = await ctx.api.queryPage<SfRecord>(
    `SELECT Id, ${spec.parent}, Field, OldValue, NewValue, CreatedDate FROM ${spec.name} WHERE Field IN (${fields})` +
      `${since ? ` AND CreatedDate >= ${since}` : ''} ORDER BY CreatedDate ASC, Id ASC`,
    true,
  );
  const startedAt = page.serverTime;
  let rows = 0;
  for (;;) {
    const history = page.records.map((r) => historyRow(spec, stripNul(r).record));
    const newest = history.reduce<Date | null>((n, h) => (!n || h.changedAt > n ? h.changedAt : n), null);
    rows += history.length;
    const last = page.done || !page.nextRecordsUrl;
    await withTransaction(ctx.db, async (tx) => {
      await recordFieldHistory(tx, connection.workspaceId, history);
      if (newest) await advanceCheckpoint(tx, connection.id, spec.name, newest, rows);
      // The pass is complete only with its last page: then the watermark may move.
      if (last && startedAt) await advanceWatermark(tx, connection.id, spec.name, startedAt);
    });
    ctx.onProgress?.({ object: spec.name, rows, total: page.totalSize, phase: 'rest' });
    if (last || !page.nextRecordsUrl) break;
    page = await ctx.api.nextPage<SfRecord>(page.nextRecordsUrl);
  }
  ctx.rows[spec.name] = rows;
  await updateObjectState(ctx.db, connection.id, spec.name, {
    lastRunFinishedAt: new Date(),
    lastOutcome: 'ok',
    lastRows: rows,
    lastNote: note,
  });
}

/** OldValue and NewValue are anyType: text for Email, picklist values for Status. */
function historyRow(spec: HistorySpec, r: SfRecord): NewFieldHistory {
  return {
    historyId: String(r.Id),
    object: spec.object,
    recordId: String(r[spec.parent]),
    field: String(r.Field),
    oldValue: sfString(r.OldValue),
    newValue: sfString(r.NewValue),
    changedAt: sfDateTime(r.CreatedDate)!,
    source: `salesforce:${spec.name}`,
  };
}
