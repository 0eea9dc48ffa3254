// The dashboard's outcome section: the influenced pipeline open now, the range's totals against the
// period before (same length, just before it), and the influenced deals against the rest — win
// rate, deal size and days to close — with the 95% intervals of GET /api/v1/conversion's lift.
import { api, query } from '../api/client';
import type { Conversion, Outcomes } from '../api/analytics-types';
import type { Dashboard, Metrics } from '../api/types';
import { useResource } from '../api/use-resource';
import { ErrorState, Loading } from '../components/states';
import { Card } from '../components/ui';
import { addDays, daysBetween, todayIn, type DayRange } from '../lib/days';
import { count, mediumDay, money } from '../lib/format';
import { fromCents, toCents } from '../lib/money';
import { decimal, Figure, rate } from './figure';
import './analytics.css';

/** The same number of days, ending the day before the range starts. */
export function previousRange(r: DayRange): DayRange {
  const days = daysBetween(r.from, r.to) + 1;
  return { from: addDays(r.from, -days), to: addDays(r.from, -1) };
}

const TOTALS: { key: keyof Metrics; label: string; money?: boolean }[] = [
  { key: 'pipelineInfluenced', label: 'Pipeline Influenced', money: true },
  { key: 'closedWonInfluenced', label: 'Closed-Won Influenced', money: true },
  { key: 'totalChats', label: 'Total Chats' },
  { key: 'qualifiedChats', label: 'Qualified Chats' },
  { key: 'leadVolume', label: 'Lead Volume' },
  { key: 'meetingsBooked', label: 'Meetings Booked' },
];

function Comparison({ now, before, currency }: { now: Dashboard; before: Dashboard; currency: string }) {
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label="Against the previous period">
      <table class="table card-table">
        <thead>
          <tr>
            <th scope="col">Figure</th>
            <th scope="col" class="num">
              {mediumDay(now.from)} – {mediumDay(now.to)}
            </th>
            <th scope="col" class="num">
              {mediumDay(before.from)} – {mediumDay(before.to)}
            </th>
            <th scope="col" class="num">
              Change
            </th>
          </tr>
        </thead>
        <tbody>
          {TOTALS.map((t) => {
            const a = String(now.totals[t.key]);
            const b = String(before.totals[t.key]);
            const diff = t.money ? toCents(a) - toCents(b) : BigInt(a) - BigInt(b);
            const shown = (v: string) => (t.money ? money(v, currency) : count(Number(v)));
            const change = t.money
              ? money(fromCents(diff), currency, { signed: true })
              : count(Number(diff), { signed: true });
            return (
              <tr key={t.key} data-compare={t.key} data-now={a} data-before={b}>
                <th scope="row" data-label="Figure">
                  {t.label}
                </th>
                <td class="num" data-label="This period">
                  {shown(a)}
                </td>
                <td class="num" data-label="Previous period">
                  {shown(b)}
                </td>
                <td class="num" data-label="Change">
                  <span aria-hidden="true">{diff > 0n ? '▲ ' : diff < 0n ? '▼ ' : ''}</span>
                  {diff === 0n ? 'No change' : change}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function Lift({ c, o }: { c: Conversion; o: Outcomes }) {
  const w = c.lift.winRate;
  const d = c.lift.dealSize;
  const interval = (low: number | null, high: number | null) =>
    low === null || high === null ? 'no interval' : `95% interval ${rate(low)} – ${rate(high)}`;
  const moneyInterval = (low: string | null, high: string | null) =>
    low === null || high === null
      ? 'too few deals for an interval'
      : `95% interval ${money(low, c.currency)} – ${money(high, c.currency)}`;
  return (
    <section class="figure-grid" aria-label="Influenced deals against the rest">
      <Figure
        id="winRateInfluenced"
        label="Win rate, chat-influenced"
        value={rate(w.influenced.rate)}
        raw={w.influenced.rate}
        note={`${count(w.influenced.won)} of ${count(w.influenced.closed)} closed · ${interval(w.influenced.low, w.influenced.high)}`}
      />
      <Figure
        id="winRateBaseline"
        label="Win rate, other deals"
        value={rate(w.baseline.rate)}
        raw={w.baseline.rate}
        note={`${count(w.baseline.won)} of ${count(w.baseline.closed)} closed · ${interval(w.baseline.low, w.baseline.high)}${
          w.difference
            ? ` · difference ${interval(w.difference.low, w.difference.high).replace('95% interval ', '')}`
            : ''
        }`}
      />
      <Figure
        id="dealSizeInfluenced"
        label="Average deal, chat-influenced"
        value={d.influenced.mean === null ? '—' : money(d.influenced.mean, c.currency)}
        raw={d.influenced.mean}
        note={`${count(d.influenced.n)} won · ${moneyInterval(d.influenced.low, d.influenced.high)}`}
      />
      <Figure
        id="dealSizeBaseline"
        label="Average deal, other deals"
        value={d.baseline.mean === null ? '—' : money(d.baseline.mean, c.currency)}
        raw={d.baseline.mean}
        note={`${count(d.baseline.n)} won · ${moneyInterval(d.baseline.low, d.baseline.high)}`}
      />
      <Figure
        id="daysToCloseInfluenced"
        label="Median days to close, chat-influenced"
        value={decimal(o.influenced.medianDaysToClose, ' days')}
        raw={o.influenced.medianDaysToClose}
        note={`From first chat: ${decimal(o.influenced.medianDaysFirstChatToClose, ' days')}`}
      />
      <Figure
        id="daysToCloseBaseline"
        label="Median days to close, other deals"
        value={decimal(o.baseline.medianDaysToClose, ' days')}
        raw={o.baseline.medianDaysToClose}
        note="Created to won or lost; a median has no interval here"
      />
    </section>
  );
}

export function DashboardOutcomes({
  range,
  teams,
  timeZone,
  currency,
}: {
  range: DayRange;
  teams: string | null;
  timeZone: string;
  currency: string;
}) {
  const today = todayIn(timeZone);
  const before = previousRange(range);
  const q = query({ from: range.from, to: range.to, teams });
  const key = [range.from, range.to, teams];
  const openNow = useResource(
    (signal) => api.get<Outcomes>(`/api/v1/outcomes${query({ from: today, to: today, teams })}`, signal),
    [today, teams],
  );
  const outcomes = useResource((signal) => api.get<Outcomes>(`/api/v1/outcomes${q}`, signal), key);
  const conversion = useResource((signal) => api.get<Conversion>(`/api/v1/conversion${q}`, signal), key);
  const now = useResource((signal) => api.get<Dashboard>(`/api/v1/dashboard${q}`, signal), key);
  const prior = useResource(
    (signal) => api.get<Dashboard>(`/api/v1/dashboard${query({ from: before.from, to: before.to, teams })}`, signal),
    key,
  );
  const error = openNow.error ?? outcomes.error ?? conversion.error ?? now.error ?? prior.error;
  if (error)
    return (
      <ErrorState error={error} retry={() => [openNow, outcomes, conversion, now, prior].forEach((r) => r.reload())} />
    );
  const open = openNow.data?.influenced.openPipeline;
  return (
    <div class="stack" data-testid="dashboard-outcomes">
      <h2 class="section-title">Outcomes</h2>
      {open && (
        <section class="figure-grid" aria-label="Open influenced pipeline">
          <Figure
            id="openPipelineNow"
            label="Open influenced pipeline now"
            value={money(open.amount, currency)}
            raw={open.amount}
            note={`${count(open.count)} open opportunities chat influenced`}
          />
        </section>
      )}
      {conversion.data && outcomes.data ? (
        <Card
          title="Chat-influenced deals against the rest"
          description="Deals won or lost in the range. An association, not proof that chat caused it: buyers who chat may differ from those who do not."
        >
          <Lift c={conversion.data} o={outcomes.data} />
        </Card>
      ) : (
        <Loading label="Loading the outcomes" />
      )}
      {now.data && prior.data ? (
        <Card title="Against the previous period" description="The same number of days, just before the range.">
          <Comparison now={now.data} before={prior.data} currency={currency} />
        </Card>
      ) : (
        <Loading label="Loading the previous period" />
      )}
    </div>
  );
}
