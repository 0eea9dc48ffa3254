// The ledger explorer: every daily delta in chain order, filtered; each opportunity opens its
// story. Pages are fetched with the API's keyset cursor ("Show more"); CSV exports the same filters.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, query } from '../api/client';
import type { LedgerEntry, LedgerPage as Page, Team } from '../api/types';
import { CopyIdButton } from '../components/copy-id';
import { Icon } from '../components/icons';
import { EmptyState, ErrorState, Loading } from '../components/states';
import { Card, Mono, PageHeader, Pill } from '../components/ui';
import { instant, measureLabel, mediumDay, money, reasonLabel } from '../lib/format';
import { Link, navigate, useLocation } from '../router';
import { useWorkspace } from '../session';
import { filtersFrom, filtersQuery, LedgerFilterForm, type LedgerFilters } from './ledger-filters';
import { useTeams } from './report-filters';

const PAGE_SIZE = 100;

export function reasonTone(reason: string) {
  return reason === 'won'
    ? 'green'
    : reason === 'influence_started'
      ? 'blue'
      : reason === 'reopened' || reason === 'deleted' || reason === 'lost' || reason === 'reversed'
        ? 'orange'
        : 'neutral';
}

export function LedgerPage() {
  const { query: q } = useLocation();
  const workspace = useWorkspace();
  const filters = filtersFrom(q);
  const key = filtersQuery(filters);
  const teams = useTeams();
  const [entries, setEntries] = useState<LedgerEntry[] | null>(null);
  const [totals, setTotals] = useState<Page['totals'] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [tick, setTick] = useState(0);

  const fetchPage = (after: string | null, signal?: AbortSignal) =>
    api.get<Page>(`/api/v1/ledger${query({ ...filters, limit: PAGE_SIZE, cursor: after })}`, signal);

  useEffect(() => {
    const controller = new AbortController();
    setEntries(null);
    setTotals(null);
    setError(null);
    fetchPage(null, controller.signal).then(
      (page) => {
        setEntries(page.entries);
        setTotals(page.totals);
        setCursor(page.nextCursor);
      },
      (err) => {
        if (!controller.signal.aborted) setError(err as ApiError);
      },
    );
    return () => controller.abort();
  }, [key, tick]);

  const more = async () => {
    setLoadingMore(true);
    try {
      const page = await fetchPage(cursor);
      setEntries([...(entries ?? []), ...page.entries]);
      setCursor(page.nextCursor);
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setLoadingMore(false);
    }
  };

  return (
    <>
      <PageHeader
        title="Ledger"
        subtitle="Every daily change of Pipeline and Closed-Won Influenced, append-only and hash-chained. Sums by effective day are today's truth; “as recorded at” shows what the ledger said then."
        actions={
          <a class="button button-secondary" href={`/api/v1/ledger.csv${key}`} download="ledger.csv">
            <Icon name="download" size={16} /> Export CSV
          </a>
        }
      />
      <Card>
        <LedgerFilterForm
          value={filters}
          teams={teams.data}
          onApply={(f) => navigate(`/ledger${filtersQuery(f)}`, { replace: true })}
        />
      </Card>
      <Card
        title="Entries"
        description={
          entries && totals
            ? `${entries.length} of ${totals.entries} entr${totals.entries === 1 ? 'y' : 'ies'} · ${scopeOf(filters, teams.data)} · amounts in ${workspace.reportingCurrency}`
            : undefined
        }
      >
        {totals && totals.entries > 0 && (
          <Totals totals={totals} filters={filters} currency={workspace.reportingCurrency} />
        )}
        {error && <ErrorState error={error} retry={() => setTick(tick + 1)} />}
        {!entries && !error && <Loading label="Loading ledger entries" />}
        {entries && entries.length === 0 && (
          <EmptyState title={key ? 'No entries match these filters' : 'The ledger is empty'}>
            {key
              ? 'Widen the days or clear a filter.'
              : 'Entries appear once a synced opportunity is influenced by a chat. Connect Salesforce and run a sync.'}
          </EmptyState>
        )}
        {entries && entries.length > 0 && (
          <>
            <div class="table-wrap" tabIndex={0} role="region" aria-label="Ledger entries">
              <table class="table ledger-table cards">
                <thead>
                  <tr>
                    <th scope="col">Effective day</th>
                    <th scope="col">Opportunity</th>
                    <th scope="col">Measure</th>
                    <th scope="col" class="num">
                      Amount
                    </th>
                    <th scope="col">Reason</th>
                    <th scope="col">Recorded</th>
                    <th scope="col" class="num">
                      #
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {entries.map((e) => (
                    <tr key={e.seq} data-seq={e.seq}>
                      <td data-label="Effective day">
                        {mediumDay(e.effectiveDay)}
                        {e.countedDay !== e.effectiveDay && (
                          <span
                            class="muted small counted-day"
                            title="These teams first influenced the opportunity later: the entry counts on that day for them, as on the dashboard"
                          >
                            {' '}
                            counts {mediumDay(e.countedDay)}
                          </span>
                        )}
                      </td>
                      <td data-label="Opportunity">
                        <Link
                          href={`/ledger/opportunities/${encodeURIComponent(e.opportunityId)}`}
                          class="link-strong"
                          title={`Its story in the ledger · ${e.opportunityId}`}
                          data-opportunity={e.opportunityId}
                        >
                          {e.opportunityName ?? e.opportunityId}
                        </Link>
                        <CopyIdButton id={e.opportunityId} what={e.opportunityName ?? 'this opportunity'} />
                      </td>
                      <td data-label="Measure">
                        <Pill tone={e.measure === 'pipeline' ? 'blue' : 'green'}>{measureLabel(e.measure)}</Pill>
                      </td>
                      <td data-label="Amount" class={`num amount ${e.amount.startsWith('-') ? 'negative' : ''}`}>
                        {money(e.amount, e.currency, { signed: true, cents: true })}
                      </td>
                      <td data-label="Reason">
                        <Pill tone={reasonTone(e.reason)}>{reasonLabel(e.reason)}</Pill>
                        {e.correction && (
                          <Pill tone="purple" title="Corrects a day already booked (late data)">
                            Correction
                          </Pill>
                        )}
                      </td>
                      <td data-label="Recorded" class="muted">
                        {instant(e.recordedAt, workspace.timeZone)}
                      </td>
                      <td data-label="#" class="num muted">
                        <Mono title={`hash ${e.hash}`}>{e.seq}</Mono>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {cursor && (
              <div class="table-more">
                <button
                  type="button"
                  class="button button-secondary"
                  onClick={() => void more()}
                  disabled={loadingMore}
                >
                  {loadingMore ? 'Loading…' : 'Show more entries'}
                </button>
              </div>
            )}
          </>
        )}
      </Card>
    </>
  );
}

/** Whose entries these are, in words: "all teams" or the team names. */
function scopeOf(f: LedgerFilters, teams: Team[] | null): string {
  if (!f.teams) return 'all teams';
  const names = f.teams.split(',').map((id) => teams?.find((t) => t.id === id)?.name ?? id);
  return `${names.length === 1 ? 'team' : 'teams'} ${names.join(', ')}`;
}

/** The sums of every entry the filters select (all pages), to tie back to the dashboard. */
function Totals({ totals, filters, currency }: { totals: Page['totals']; filters: LedgerFilters; currency: string }) {
  const fmt = (v: string) => money(v, currency, { signed: true, cents: true });
  return (
    <dl class="ledger-totals" aria-label="Sums of the entries listed">
      {filters.measure !== 'closed_won' && (
        <div>
          <dt>Pipeline, sum</dt>
          <dd data-total="pipeline" data-value={totals.pipeline}>
            {fmt(totals.pipeline)}
          </dd>
        </div>
      )}
      {filters.measure !== 'pipeline' && (
        <div>
          <dt>Closed-won, sum</dt>
          <dd data-total="closedWon" data-value={totals.closedWon}>
            {fmt(totals.closedWon)}
          </dd>
        </div>
      )}
      <div>
        <dt>Entries</dt>
        <dd data-total="entries">{totals.entries}</dd>
      </div>
    </dl>
  );
}
