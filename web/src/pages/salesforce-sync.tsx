// The sync as a RevOps admin follows it: each object's last run, rows and progress, the org's
// API usage, and the recent runs.
import type { SalesforceStatus } from '../api/types';
import { Pill, type Tone } from '../components/ui';
import { count, instant, percent, relative } from '../lib/format';

type Connected = Exclude<SalesforceStatus, { status: 'not_connected' }>;

const OBJECT_LABELS: Record<string, string> = {
  OpportunityStage: 'Opportunity stages',
  Opportunity: 'Opportunities',
  OpportunityHistory: 'Opportunity history',
  OpportunityContactRole: 'Contact roles',
  Contact: 'Contacts',
  Lead: 'Leads',
  CurrencyType: 'Currencies',
  ContactHistory: 'Contact field history',
  LeadHistory: 'Lead field history',
  DatedConversionRate: 'Dated rates',
};
export const objectLabel = (o: string) => OBJECT_LABELS[o] ?? o;

// src/salesforce/sync-run.ts SyncOutcome, in words.
const OUTCOMES: Record<string, { label: string; tone: Tone }> = {
  ok: { label: 'Succeeded', tone: 'green' },
  skipped_running: { label: 'Skipped (another run was going)', tone: 'neutral' },
  not_connected: { label: 'Not connected', tone: 'neutral' },
  paused_budget: { label: 'Paused: API budget reached', tone: 'orange' },
  needs_reauth: { label: 'Needs reconnecting', tone: 'orange' },
  bulk_pending: { label: 'Waiting for a bulk job', tone: 'blue' },
  salesforce_unavailable: { label: 'Salesforce unavailable; retried next run', tone: 'orange' },
  unavailable: { label: 'Not available in this org', tone: 'neutral' },
  failed: { label: 'Failed', tone: 'red' },
  interrupted: { label: 'Interrupted (worker stopped); resumed by the next run', tone: 'orange' },
};
export const outcomeTone = (o: string | null): Tone => (o ? (OUTCOMES[o]?.tone ?? 'orange') : 'neutral');
export const outcomeLabel = (o: string | null) =>
  o === null ? 'Not run yet' : (OUTCOMES[o]?.label ?? o.replace(/_/g, ' '));

/**
 * What a finished run proves: every change made before it started has been read. The checkpoint
 * (the newest change seen) can be days old in a quiet org, so it is the detail, never the headline.
 */
function CompleteUpTo({ object: o, timeZone }: { object: Connected['objects'][number]; timeZone: string }) {
  const complete = o.lastRun.outcome === 'ok' && o.lastRun.finishedAt !== null && o.lastRun.startedAt !== null;
  return (
    <>
      {complete ? instant(o.lastRun.startedAt, timeZone) : '—'}
      {o.checkpoint && (
        <div class="muted small" title={o.checkpoint}>
          latest change in Salesforce {instant(o.checkpoint, timeZone)}
        </div>
      )}
    </>
  );
}

export function ApiUsage({ usage }: { usage: NonNullable<Connected['apiUsage']> }) {
  const level = usage.percent >= 80 ? 'high' : usage.percent >= 50 ? 'medium' : 'low';
  return (
    <div class="usage">
      <div class="usage-head">
        <span>Daily API requests of the org</span>
        <strong>
          {count(usage.used)} / {count(usage.max)} ({percent(usage.percent)})
        </strong>
      </div>
      <div
        class={`meter meter-${level}`}
        role="meter"
        aria-valuemin={0}
        aria-valuemax={usage.max}
        aria-valuenow={usage.used}
        aria-label="API requests used today"
      >
        <span style={{ width: `${Math.min(100, usage.percent)}%` }} />
      </div>
      <p class="muted small">
        {level === 'high' ? 'High: the sync pauses at its budget and resumes the next day. ' : ''}Seen{' '}
        {relative(usage.seenAt)}. Salesforce counts the last 24 hours.
      </p>
    </div>
  );
}

export function ObjectsTable({ status, timeZone }: { status: Connected; timeZone: string }) {
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label="Sync status per object">
      <table class="table">
        <thead>
          <tr>
            <th scope="col">Object</th>
            <th scope="col">Last run</th>
            <th scope="col" class="num">
              Rows
            </th>
            <th scope="col">Complete up to</th>
            <th scope="col">Progress</th>
          </tr>
        </thead>
        <tbody>
          {status.objects.map((o) => {
            const total = o.progress.estimatedTotal;
            const share = total && total > 0 ? Math.min(100, Math.round((o.progress.rows / total) * 100)) : null;
            const running = o.lastRun.startedAt !== null && o.lastRun.finishedAt === null;
            return (
              <tr key={o.object} data-object={o.object}>
                <th scope="row">
                  {objectLabel(o.object)}
                  <span class="muted small"> {o.object}</span>
                </th>
                <td>
                  <Pill tone={running ? 'blue' : outcomeTone(o.lastRun.outcome)}>
                    {running ? 'Running' : outcomeLabel(o.lastRun.outcome)}
                  </Pill>
                  <span class="muted small"> {relative(o.lastRun.finishedAt ?? o.lastRun.startedAt)}</span>
                  {o.lastRun.error && <div class="error-text small">{o.lastRun.error}</div>}
                  {o.lastRun.note && <div class="muted small">{o.lastRun.note}</div>}
                </td>
                <td class="num">{o.lastRun.rows === null ? '—' : count(o.lastRun.rows)}</td>
                <td data-complete-up-to>
                  <CompleteUpTo object={o} timeZone={timeZone} />
                </td>
                <td>
                  {share !== null ? (
                    <span class="progress-cell">
                      <span
                        class="meter meter-low"
                        role="progressbar"
                        aria-valuemin={0}
                        aria-valuemax={100}
                        aria-valuenow={share}
                        aria-label={`${objectLabel(o.object)} progress`}
                      >
                        <span style={{ width: `${share}%` }} />
                      </span>
                      <span class="small">
                        {count(o.progress.rows)} / {count(total!)}
                        {running && (
                          <RateAndTimeLeft rows={o.progress.rows} total={total!} since={o.lastRun.startedAt} />
                        )}
                      </span>
                    </span>
                  ) : (
                    <span class="muted small">{o.progress.rows > 0 ? `${count(o.progress.rows)} rows` : '—'}</span>
                  )}
                  {o.bulkJobInProgress && <Pill tone="purple">Bulk job</Pill>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** "240 rows/s · ~16 s left", as the terminal shows it (from the run's start: a fair average). */
function RateAndTimeLeft({ rows, total, since }: { rows: number; total: number; since: string | null }) {
  if (!since || rows <= 0) return null;
  const seconds = (Date.now() - new Date(since).getTime()) / 1000;
  if (seconds <= 0) return null;
  const rate = rows / seconds;
  const left = rows < total ? (total - rows) / rate : 0;
  const duration =
    left < 90 ? `${Math.ceil(left)} s` : left < 5400 ? `${Math.ceil(left / 60)} min` : `${(left / 3600).toFixed(1)} h`;
  return (
    <span class="muted">
      {' '}
      · {count(Math.round(rate))} rows/s{rows < total ? ` · ~${duration} left` : ''}
    </span>
  );
}

/** Records that could not be stored, by name and reason; every run tries them again. */
export function QuarantineList({ quarantine, timeZone }: { quarantine: Connected['quarantine']; timeZone: string }) {
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label="Records in quarantine">
      <table class="table">
        <thead>
          <tr>
            <th scope="col">Record</th>
            <th scope="col">Why it could not be stored</th>
            <th scope="col" class="num">
              Tries
            </th>
            <th scope="col">Since</th>
          </tr>
        </thead>
        <tbody>
          {quarantine.records.map((q) => (
            <tr key={`${q.object}:${q.recordId}`}>
              <th scope="row">
                {objectLabel(q.object)} <span class="mono small">{q.recordId}</span>
              </th>
              <td class="small">{q.reason}</td>
              <td class="num">{count(q.attempts)}</td>
              <td>{instant(q.firstSeenAt, timeZone)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {quarantine.total > quarantine.records.length && (
        <p class="muted small">
          And {count(quarantine.total - quarantine.records.length)} more: npm run cli -- salesforce:status lists them.
        </p>
      )}
    </div>
  );
}

export function RunsList({ runs, timeZone }: { runs: Connected['runs']; timeZone: string }) {
  if (runs.length === 0) return <p class="muted">No sync has run yet.</p>;
  return (
    <ul class="plain-list runs">
      {runs.map((r) => {
        const rows = Object.values(r.rows).reduce((a, b) => a + b, 0);
        return (
          <li key={r.id}>
            <Pill tone={r.finishedAt ? outcomeTone(r.outcome) : 'blue'}>
              {r.finishedAt ? outcomeLabel(r.outcome) : 'Running'}
            </Pill>
            <span> {instant(r.startedAt, timeZone)}</span>
            <span class="muted small">
              {' '}
              · {r.trigger} · {count(rows)} rows
            </span>
            {r.error && <div class="error-text small">{r.error}</div>}
          </li>
        );
      })}
    </ul>
  );
}
