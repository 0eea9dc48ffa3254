// "Check connection": API access and version, read access and field-level security of every
// object and field the sync reads, field history, the daily API headroom, and an estimate of the
// first backfill. Each finding is said in words a Salesforce admin acts on.
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';
import type { SalesforceCheck } from '../api/types';
import { Icon } from '../components/icons';
import { ErrorState } from '../components/states';
import { Card, Pill, type Tone } from '../components/ui';
import { count, instant } from '../lib/format';
import { objectLabel } from './salesforce-sync';

const STATUS: Record<SalesforceCheck['items'][number]['status'], { label: string; tone: Tone }> = {
  ok: { label: 'OK', tone: 'green' },
  warning: { label: 'Attention', tone: 'orange' },
  failed: { label: 'Problem', tone: 'red' },
};

export function ConnectionCheck({ timeZone }: { timeZone: string }) {
  const [report, setReport] = useState<SalesforceCheck | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      setReport(await api.post<SalesforceCheck>('/api/v1/salesforce/check'));
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card
      title="Connection check"
      description="What the sync needs from the org, checked now: access, fields, history, API headroom, and how long the first load takes."
      actions={
        <button type="button" class="button button-secondary" onClick={() => void run()} disabled={busy}>
          <Icon name="check" size={16} /> {busy ? 'Checking…' : 'Check connection'}
        </button>
      }
    >
      {error && <ErrorState error={error} title="The check could not run" />}
      {!report && !error && <p class="muted small">A few dozen API requests; nothing is written to the org.</p>}
      {report && (
        <>
          <p class={report.ok ? 'small' : 'error-text small'} role="status">
            {report.ok ? 'The connection is ready.' : 'The connection needs attention: see the problems below.'}{' '}
            <span class="muted">Checked {instant(report.checkedAt, timeZone)}.</span>
          </p>
          <ul class="plain-list check-items">
            {report.items.map((item) => (
              <li key={item.id} data-check={item.id}>
                <Pill tone={STATUS[item.status].tone}>{STATUS[item.status].label}</Pill> <strong>{item.title}</strong>
                <div class="small">{item.detail}</div>
              </li>
            ))}
          </ul>
          {report.estimate && (
            <div class="table-wrap" tabIndex={0} role="region" aria-label="First backfill estimate">
              <table class="table">
                <caption class="small muted">First backfill, estimated from SELECT COUNT()</caption>
                <thead>
                  <tr>
                    <th scope="col">Object</th>
                    <th scope="col" class="num">
                      Rows
                    </th>
                    <th scope="col">Through</th>
                    <th scope="col" class="num">
                      API calls
                    </th>
                    <th scope="col" class="num">
                      Minutes
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {report.estimate.objects.map((o) => (
                    <tr key={o.object}>
                      <th scope="row">{objectLabel(o.object)}</th>
                      <td class="num">{count(o.rows)}</td>
                      <td>{o.via === 'bulk' ? 'Bulk API 2.0' : 'REST'}</td>
                      <td class="num">~{count(o.apiCalls)}</td>
                      <td class="num">~{count(o.minutes)}</td>
                    </tr>
                  ))}
                  <tr>
                    <th scope="row">All</th>
                    <td />
                    <td />
                    <td class="num">~{count(report.estimate.apiCalls)}</td>
                    <td class="num">~{count(report.estimate.minutes)}</td>
                  </tr>
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </Card>
  );
}
