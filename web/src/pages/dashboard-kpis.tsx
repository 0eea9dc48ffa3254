// The top of the dashboard: yesterday's numbers, each with its change against the day before.
// Both days come from one dashboard request (granularity day); money changes are exact (cents).
import type { Dashboard, Metrics } from '../api/types';
import { Skeleton } from '../components/states';
import { count, money, percent, shortDay } from '../lib/format';
import { fromCents, percentChange, toCents } from '../lib/money';

type Key = keyof Metrics;
export const KPIS: { key: Key; label: string; hint: string; money?: boolean }[] = [
  {
    key: 'pipelineInfluenced',
    label: 'Pipeline Influenced',
    hint: 'Change in the pipeline of opportunities influenced by chat',
    money: true,
  },
  {
    key: 'closedWonInfluenced',
    label: 'Closed-Won Influenced',
    hint: 'Change in closed-won revenue influenced by chat',
    money: true,
  },
  { key: 'totalChats', label: 'Total Chats', hint: 'Every conversation a visitor requested, bot and missed included' },
  { key: 'qualifiedChats', label: 'Qualified Chats', hint: 'Conversations rated 1, 2 or 3 fires' },
  { key: 'leadVolume', label: 'Lead Volume', hint: 'Conversations that captured an email or a data ask' },
  { key: 'targetAccounts', label: 'Target Accounts', hint: 'Conversations with a visitor from a target account' },
  { key: 'meetingsBooked', label: 'Meetings Booked', hint: 'Meetings booked through chat' },
];

function Change({
  before,
  after,
  isMoney,
  currency,
  dayBefore,
}: {
  before: string | number;
  after: string | number;
  isMoney: boolean;
  currency: string;
  dayBefore: string;
}) {
  const b = isMoney ? toCents(String(before)) : BigInt(before);
  const a = isMoney ? toCents(String(after)) : BigInt(after);
  const diff = a - b;
  const pct = percentChange(b, a);
  const direction = diff > 0n ? 'up' : diff < 0n ? 'down' : 'flat';
  const amount = isMoney ? money(fromCents(diff), currency, { signed: true }) : count(Number(diff), { signed: true });
  const arrow = direction === 'up' ? '▲' : direction === 'down' ? '▼' : '▬';
  const words =
    direction === 'flat' ? 'No change' : `${direction === 'up' ? 'Up' : 'Down'} ${amount.replace(/^[+−-]/, '')}`;
  return (
    <p class={`kpi-change ${direction}`}>
      <span aria-hidden="true">{arrow}</span>
      <span class="visually-hidden">{words}</span>
      <span aria-hidden="true">{direction === 'flat' ? '0' : amount}</span>
      {pct !== null && direction !== 'flat' && (
        <span class="kpi-pct" aria-hidden="true">
          ({percent(pct, { signed: true })})
        </span>
      )}
      <span class="muted"> vs {shortDay(dayBefore)}</span>
    </p>
  );
}

export function KpiRow({ data, loading }: { data: Dashboard | null; loading: boolean }) {
  const dayBefore = data?.series[0];
  const yesterday = data?.series[1];
  return (
    <section class="kpis" aria-label="Yesterday's numbers" aria-busy={loading}>
      {KPIS.map((k) => (
        <article
          key={k.key}
          class={`kpi ${k.money ? 'kpi-money' : ''}`}
          data-kpi={k.key}
          data-value={yesterday ? String(yesterday[k.key]) : undefined}
        >
          <h3 class="kpi-label" title={k.hint}>
            {k.label}
          </h3>
          {!yesterday || !dayBefore || !data ? (
            <div class="kpi-skeleton">
              <Skeleton height={28} width="60%" />
              <Skeleton height={12} width="80%" />
            </div>
          ) : (
            <>
              <p class="kpi-value">
                {k.money ? money(String(yesterday[k.key]), data.currency) : count(Number(yesterday[k.key]))}
              </p>
              <Change
                before={dayBefore[k.key]}
                after={yesterday[k.key]}
                isMoney={Boolean(k.money)}
                currency={data.currency}
                dayBefore={dayBefore.from}
              />
            </>
          )}
        </article>
      ))}
    </section>
  );
}
