// The funnel from chat to won: chat visitors and what they became (GET /api/v1/conversion),
// chat-sourced leads through MQL and SQL (GET /api/v1/funnel), with the rate of each step, the
// medians, and the weekly lead cohorts. Visitors and leads are different cohorts: each step says
// what it counts (docs/metrics.md).
import { api } from '../api/client';
import type { Conversion, Funnel, Outcomes } from '../api/analytics-types';
import { useResource } from '../api/use-resource';
import { ErrorState, Loading } from '../components/states';
import { Card } from '../components/ui';
import { count, mediumDay } from '../lib/format';
import { reportQuery, teamsParam } from '../pages/report-filters';
import { useAnalyticsFilters } from './analytics-filters';
import { decimal, Figure, rate } from './figure';
import { ReportHeader, ReportToolbar } from './report-frame';
import './analytics.css';

interface Step {
  id: string;
  label: string;
  what: string;
  value: number;
  /** The step whose share it is: visitors and leads are separate cohorts. */
  of?: string;
}

function steps(f: Funnel, c: Conversion): Step[] {
  const s = f.chatSourced;
  return [
    { id: 'visitors', label: 'Chat visitors', what: 'unique visitors who chatted in the range', value: c.visitors },
    {
      id: 'leads',
      label: 'Leads',
      what: 'leads created in the range whose email a chat captured',
      value: s.leads,
      of: 'visitors',
    },
    { id: 'mql', label: 'MQL', what: 'of those leads, marketing qualified or further', value: s.mql, of: 'leads' },
    { id: 'sql', label: 'SQL', what: 'of those leads, accepted by sales or converted', value: s.sql, of: 'mql' },
    {
      id: 'opportunity',
      label: 'Opportunity',
      what: 'chat visitors whose chats touched an opportunity',
      value: c.influencedVisitors,
      of: 'visitors',
    },
    {
      id: 'won',
      label: 'Won',
      what: 'chat visitors whose opportunity is Closed Won now',
      value: c.wonVisitors,
      of: 'opportunity',
    },
  ];
}

export function FunnelPage() {
  const { report, set } = useAnalyticsFilters();
  const q = reportQuery(report);
  const key = [report.range.from, report.range.to, teamsParam(report.teams)];
  const funnel = useResource((signal) => api.get<Funnel>(`/api/v1/funnel${q}`, signal), key);
  const conversion = useResource((signal) => api.get<Conversion>(`/api/v1/conversion${q}`, signal), key);
  const outcomes = useResource((signal) => api.get<Outcomes>(`/api/v1/outcomes${q}`, signal), key);
  const f = funnel.data;
  const c = conversion.data;
  const o = outcomes.data;
  const error = funnel.error ?? conversion.error ?? outcomes.error;
  const list = f && c ? steps(f, c) : [];
  const top = Math.max(1, ...list.map((s) => s.value));

  return (
    <>
      <ReportHeader
        title="Funnel"
        filters={{ report, set }}
        range={f}
        covers=": chat visitors and the leads they became, followed to date."
        until="From chat to won: visitors, leads, MQL, SQL, opportunities and wins."
      />
      <ReportToolbar filters={{ report, set }} wraps={false} />
      {error && (
        <ErrorState
          error={error}
          retry={() => {
            funnel.reload();
            conversion.reload();
            outcomes.reload();
          }}
        />
      )}
      {(!f || !c || !o) && !error && <Loading label="Loading the funnel" />}
      {f && c && o && (
        <div class="stack">
          <Card
            title="From chat to won"
            description="Each step with its share of the step before. Visitors and leads are counted apart: a lead is a Salesforce record, a visitor a person who chatted."
          >
            <ol class="funnel-steps">
              {list.map((s) => {
                const before = list.find((b) => b.id === s.of);
                const share = before && before.value > 0 ? s.value / before.value : null;
                return (
                  <li key={s.id} class="funnel-step" data-step={s.id} data-value={String(s.value)}>
                    <span>
                      <strong>{s.label}</strong>
                      <span class="muted small" style={{ display: 'block' }}>
                        {s.what}
                      </span>
                    </span>
                    <span class="funnel-bar" aria-hidden="true">
                      <span style={{ width: `${s.value > 0 ? Math.max(1, (s.value / top) * 100) : 0}%` }} />
                    </span>
                    <span class="num">
                      <strong>{count(s.value)}</strong>
                      {before && (
                        <span
                          class="muted small"
                          style={{ display: 'block' }}
                        >{`${rate(share)} of ${before.label}`}</span>
                      )}
                    </span>
                  </li>
                );
              })}
            </ol>
          </Card>
          <section class="figure-grid" aria-label="Rates and medians">
            <Figure
              id="acceptanceRate"
              label="MQL → SQL, chat-sourced leads"
              value={rate(f.chatSourced.acceptanceRate)}
              raw={f.chatSourced.acceptanceRate}
              note={`All leads: ${rate(f.all.acceptanceRate)}`}
            />
            <Figure
              id="medianHoursToAccept"
              label="Median time to accept"
              value={decimal(f.chatSourced.medianHoursToAccept, ' h')}
              raw={f.chatSourced.medianHoursToAccept}
              note={`Over ${count(f.chatSourced.acceptedWithTime)} leads · all leads: ${decimal(f.all.medianHoursToAccept, ' h')}`}
            />
            <Figure
              id="medianDaysFirstChatToClose"
              label="Median days, first chat to close"
              value={decimal(o.influenced.medianDaysFirstChatToClose, ' days')}
              raw={o.influenced.medianDaysFirstChatToClose}
              note="Influenced deals won or lost in the range"
            />
            <Figure
              id="conversionRate"
              label="Chat visitors who won"
              value={rate(c.conversionRate)}
              raw={c.conversionRate}
              note={`${count(c.wonVisitors)} of ${count(c.visitors)} visitors`}
            />
          </section>
          <Card
            title="Weekly lead cohorts"
            description="Chat-sourced leads by the ISO week they were created (Monday first), each followed to date; partial weeks at the edges are marked."
          >
            <div class="table-wrap" tabIndex={0} role="region" aria-label="Weekly lead cohorts">
              <table class="table card-table">
                <thead>
                  <tr>
                    <th scope="col">Week</th>
                    <th scope="col" class="num">
                      Leads
                    </th>
                    <th scope="col" class="num">
                      MQL
                    </th>
                    <th scope="col" class="num">
                      SQL
                    </th>
                    <th scope="col" class="num">
                      Rejected
                    </th>
                    <th scope="col" class="num">
                      Converted
                    </th>
                    <th scope="col" class="num">
                      MQL → SQL
                    </th>
                    <th scope="col" class="num">
                      All leads
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {f.chatSourced.weekly.map((w, i) => {
                    const all = f.all.weekly[i];
                    const partial = daysIn(w.from, w.to) < 7;
                    return (
                      <tr key={w.from} data-week={w.from}>
                        <th scope="row" data-label="Week">
                          {mediumDay(w.from)} – {mediumDay(w.to)}
                          {partial && <span class="muted small"> (partial)</span>}
                        </th>
                        {(['leads', 'mql', 'sql', 'rejected', 'converted'] as const).map((k) => (
                          <td
                            key={k}
                            class="num"
                            data-label={k === 'mql' || k === 'sql' ? k.toUpperCase() : cap(k)}
                            data-field={k}
                            data-value={String(w[k])}
                          >
                            {count(w[k])}
                          </td>
                        ))}
                        <td
                          class="num"
                          data-label="MQL → SQL"
                          data-field="acceptanceRate"
                          data-value={String(w.acceptanceRate)}
                        >
                          {rate(w.acceptanceRate)}
                        </td>
                        <td
                          class="num"
                          data-label="All leads"
                          data-field="allLeads"
                          data-value={String(all?.leads ?? '')}
                        >
                          {all ? count(all.leads) : '—'}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </Card>
        </div>
      )}
    </>
  );
}

const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);
const daysIn = (from: string, to: string) =>
  (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
