// The totals per day, week or month of the range, with the range's totals (from the API) below.
import type { Dashboard, Measure } from '../api/types';
import { periodLabel } from '../charts/periods';
import { query } from '../api/client';
import { count, money } from '../lib/format';
import { Link } from '../router';

/** The ledger entries behind one figure: its period, its measure, the same teams. */
export const ledgerLink = (period: { from: string; to: string }, measure: Measure, teams: string | null) =>
  `/ledger${query({ from: period.from, to: period.to, teams, measure })}`;

/** A non-zero change links to the ledger entries of its period: the keyboard's way to "why". */
function Amount({ value, format, href }: { value: string; format: (v: string) => string; href: string }) {
  if (/^-?0\.00$/.test(value)) return <span class="muted">{format(value)}</span>;
  return (
    <Link href={href} title="Open the ledger entries of this period">
      {format(value)}
    </Link>
  );
}

export function TotalsTable({ data, teams }: { data: Dashboard; teams: string | null }) {
  const fmt = (v: string) => money(v, data.currency, { signed: true });
  const unit = data.granularity === 'day' ? 'Day' : data.granularity === 'week' ? 'Week' : 'Month';
  return (
    <div class="table-wrap scroll-y" tabIndex={0} role="region" aria-label={`Totals by ${unit.toLowerCase()}`}>
      <table class="table">
        <thead>
          <tr>
            <th scope="col">{unit}</th>
            <th scope="col" class="num">
              Chats
            </th>
            <th scope="col" class="num">
              Qualified
            </th>
            <th scope="col" class="num">
              Leads
            </th>
            <th scope="col" class="num">
              Target accts
            </th>
            <th scope="col" class="num">
              Meetings
            </th>
            <th scope="col" class="num">
              Pipeline
            </th>
            <th scope="col" class="num">
              Closed-won
            </th>
          </tr>
        </thead>
        <tbody>
          {[...data.series].reverse().map((p) => (
            <tr key={p.from}>
              <th scope="row">
                {periodLabel(p, data.granularity)}
                {p.from !== p.to && data.granularity !== 'day' ? (
                  <span class="muted small">
                    {' '}
                    ({p.from} – {p.to})
                  </span>
                ) : null}
              </th>
              <td class="num">{count(p.totalChats)}</td>
              <td class="num">{count(p.qualifiedChats)}</td>
              <td class="num">{count(p.leadVolume)}</td>
              <td class="num">{count(p.targetAccounts)}</td>
              <td class="num">{count(p.meetingsBooked)}</td>
              <td class="num">
                <Amount value={p.pipelineInfluenced} format={fmt} href={ledgerLink(p, 'pipeline', teams)} />
              </td>
              <td class="num">
                <Amount value={p.closedWonInfluenced} format={fmt} href={ledgerLink(p, 'closed_won', teams)} />
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Total</th>
            <td class="num">{count(data.totals.totalChats)}</td>
            <td class="num">{count(data.totals.qualifiedChats)}</td>
            <td class="num">{count(data.totals.leadVolume)}</td>
            <td class="num">{count(data.totals.targetAccounts)}</td>
            <td class="num">{count(data.totals.meetingsBooked)}</td>
            <td class="num">{fmt(data.totals.pipelineInfluenced)}</td>
            <td class="num">{fmt(data.totals.closedWonInfluenced)}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
