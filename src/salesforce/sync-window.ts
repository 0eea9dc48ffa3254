// Where an object's next incremental pass starts: from the watermark (Salesforce's clock when the
// last finished pass started) minus the overlap, not from the newest SystemModstamp seen.
//
// Why the checkpoint alone is not enough: after a mass load (a data import, or the double's
// generator) every record's SystemModstamp lies within minutes of the newest one, and no record
// changes after it, so `checkpoint − overlap` re-reads the whole object on every run, a cost that
// grows with the org. Salesforce's own replication API says what to do instead: keep the time a
// previous call covered, *in Salesforce's clock*, and start the next one there
// (GetUpdatedResult.latestDateCovered: "use this value for the startDate of your next call";
// http://www.salesforce.com/us/developer/docs/api/Content/sforce_api_calls_getupdated_getupdatedresult.htm,
// and "Polling for Changes": client applications save the timespan of previous calls,
// https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/polling_for_changes.htm).
//
// Why it is sound: a query returns every record committed before it ran whose SystemModstamp
// (set "when a user or automated process last modified the record",
// https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/system_fields.htm) is past its
// lower bound. So once a pass has read all its pages, every record committed before its first
// query is ours, and the next pass needs only records committed after that instant. A record's
// SystemModstamp is assigned before its transaction commits, so one committed just after the
// query can carry an earlier stamp: the overlap (10 minutes) covers that, as it always has.
// The instant is the HTTP Date header of the first query's response (RFC 9110 §6.6.1: when the
// message was originated, in the server's clock, whole seconds), so one second more is taken off
// for its resolution. It is a response time, later than the query's snapshot by the query's
// duration: the overlap covers that too. Our own clock is never used: it may be minutes off
// Salesforce's. (getUpdated's latestDateCovered is stricter still, as it waits for long-running
// transactions; it costs one more call per object and is rate-limited, so the Date header it is.)
//
// The watermark moves only in the transaction that writes a pass's last page: a pass that stops
// half-way leaves it, and the next pass resumes from the checkpoint (whichever bound is later;
// both are sound), so nothing is lost. Without a usable Date header the watermark stays where it
// is and the checkpoint decides, as before.
import { soqlDateTime } from './records';

/** The Date header counts whole seconds: the instant may be up to a second later than it says. */
export const DATE_HEADER_RESOLUTION_MS = 1000;

/** Salesforce's clock from a response's Date header (an HTTP-date); null when absent or unreadable. */
export function serverTimeOf(headers: Pick<Headers, 'get'>): Date | null {
  const value = headers.get('date');
  if (!value) return null;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? null : at;
}

/**
 * The lower bound of an object's next pass, as a SOQL datetime; null for a full read. A cleared
 * checkpoint means a full read whatever the watermark (a migration that needs every record again
 * clears it, as 0007 did).
 */
export function passLowerBound(
  state: { checkpoint: Date | null; watermark: Date | null },
  overlapMs: number,
): string | null {
  if (!state.checkpoint) return null;
  const fromWatermark = state.watermark ? state.watermark.getTime() - DATE_HEADER_RESOLUTION_MS : -Infinity;
  const from = Math.max(state.checkpoint.getTime(), fromWatermark);
  return soqlDateTime(new Date(from - overlapMs));
}
