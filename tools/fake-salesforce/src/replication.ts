// getDeleted and getUpdated, the replication resources: ids changed in a window, with the window's
// rules as Salesforce states them (seconds ignored, start before end, at most 15 / 30 days back).
import type { ObjectDef } from './objects';
import { RestError } from './errors';
import type { Store } from './store';
import { formatDateTime, parseInstant } from './values';

const DAY = 24 * 60 * 60 * 1000;
const minute = (ms: number) => Math.floor(ms / 60_000) * 60_000;

type Window = { start: number; end: number; earliest: number };

export function getDeleted(
  store: Store,
  def: ObjectDef,
  query: Record<string, unknown>,
  now: number,
  idLimit = 600_000,
) {
  const w = replicationWindow(query, now, 15);
  const deleted = store.deletedBetween(def.name, w.start, w.end);
  // "If the number of records returned exceeds 600,000, EXCEEDED_ID_LIMIT" (getDeleted(), SOAP API reference).
  if (deleted.length > idLimit) {
    throw new RestError(
      400,
      'EXCEEDED_ID_LIMIT',
      `record limit reached. cannot submit more than ${idLimit} records into this call`,
    );
  }
  return {
    deletedRecords: deleted.map((d) => ({ id: d.id, deletedDate: formatDateTime(d.deletedAt) })),
    earliestDateAvailable: formatDateTime(w.earliest),
    latestDateCovered: formatDateTime(w.end),
  };
}

export function getUpdated(store: Store, def: ObjectDef, query: Record<string, unknown>, now: number) {
  const w = replicationWindow(query, now, 30);
  const ids = store
    .rows(def.name, false)
    .filter((r) => (r.SystemModstamp as number) >= w.start && (r.SystemModstamp as number) <= w.end)
    .map((r) => r.Id);
  return { ids, latestDateCovered: formatDateTime(w.end) };
}

function replicationWindow(query: Record<string, unknown>, now: number, maxDays: number): Window {
  const parse = (name: string) => {
    const raw = query[name];
    const ms = typeof raw === 'string' ? parseInstant(raw) : null;
    if (ms === null)
      throw new RestError(
        400,
        'MALFORMED_QUERY',
        `${name}: a date and time such as 2026-03-01T00:00:00+00:00 is required`,
      );
    return minute(ms);
  };
  const start = parse('start');
  const end = Math.min(parse('end'), minute(now));
  const earliest = minute(now - maxDays * DAY);
  if (start >= end) throw replicationError('startDate must chronologically precede endDate by more than one minute');
  if (start < earliest)
    throw replicationError(`startDate must be within the last ${maxDays} days (earliest ${formatDateTime(earliest)})`);
  return { start, end, earliest };
}

function replicationError(message: string): RestError {
  return new RestError(400, 'INVALID_REPLICATION_DATE', message);
}
