// The influenced opportunities of a range (GET /api/v1/opportunities): sorted by the API, found by
// name, id, account or owner, narrowed by status here; each with its credit under the chosen model,
// its story in the ledger and its record in Salesforce. Export CSV downloads the same list.
import { getAllPages, query } from '../api/client';
import {
  OPPORTUNITY_SORTS,
  type InfluencedOpportunity,
  type InfluencedOpportunityPage,
  type OpportunitySort,
} from '../api/analytics-types';
import { useResource } from '../api/use-resource';
import { CreditModelPicker } from '../components/credit-model-picker';
import { Icon } from '../components/icons';
import { EmptyState, ErrorState, Loading } from '../components/states';
import { Card } from '../components/ui';
import { money } from '../lib/format';
import { fromCents, toCents } from '../lib/money';
import { teamsParam, useTeams } from '../pages/report-filters';
import { useWorkspace } from '../session';
import { creditModelOf, useAnalyticsFilters } from './analytics-filters';
import { OpportunityRow } from './opportunity-row';
import {
  ReportHeader,
  ReportToolbar,
  SearchField,
  SelectField,
  SortableTable,
  SortSelect,
  type Column,
} from './report-frame';
import './analytics.css';

type Status = 'all' | 'open' | 'won' | 'lost';
const statusOf = (o: InfluencedOpportunity): Status => (!o.isClosed ? 'open' : o.isWon ? 'won' : 'lost');

const COLUMNS: Column<OpportunitySort>[] = [
  { key: 'name', label: 'Opportunity', sort: 'name', ascFirst: true },
  { key: 'account', label: 'Account' },
  { key: 'owner', label: 'Owner' },
  { key: 'stage', label: 'Stage' },
  { key: 'amount', label: 'Amount', sort: 'amount', num: true },
  { key: 'closeDate', label: 'Close date', sort: 'closeDate', ascFirst: true },
  { key: 'firstChat', label: 'First chat', sort: 'firstChatAt', ascFirst: true },
  { key: 'chats', label: 'Chats', sort: 'chats', num: true },
  { key: 'pipelineInfluenced', label: 'Pipeline influenced', sort: 'pipelineInfluenced', num: true },
  { key: 'closedWonInfluenced', label: 'Closed-won influenced', sort: 'closedWonInfluenced', num: true },
  { key: 'credit', label: 'Credit' },
];

/** A search matches the name, the 15- or 18-character id, the account or the owner. */
function matches(o: InfluencedOpportunity, search: string): boolean {
  const s = search.trim().toLowerCase();
  if (!s) return true;
  return [o.name, o.id, o.account?.name, o.account?.id, o.owner?.name].some((v) => {
    if (!v) return false;
    const value = v.toLowerCase();
    return value.includes(s) || (v === o.id && s.length === 15 && value.startsWith(s));
  });
}

export function OpportunitiesPage() {
  const workspace = useWorkspace();
  const { report, param, set } = useAnalyticsFilters();
  const teams = useTeams();
  const model = creditModelOf(param('model'));
  const sortParam = param('sort');
  const sort: OpportunitySort = OPPORTUNITY_SORTS.find((s) => s === sortParam) ?? 'pipelineInfluenced';
  const order = param('order') === 'asc' ? 'asc' : 'desc';
  const search = param('q') ?? '';
  const statusParam = param('status');
  const status: Status =
    statusParam === 'open' || statusParam === 'won' || statusParam === 'lost' ? statusParam : 'all';
  const filterQuery = query({
    from: report.range.from,
    to: report.range.to,
    teams: teamsParam(report.teams),
    model,
    sort,
    order,
  });
  const list = useResource(
    (signal) => getAllPages<InfluencedOpportunityPage>(`/api/v1/opportunities${filterQuery}&limit=500`, signal),
    [filterQuery],
  );
  const data = list.data;
  const shown = data
    ? data.items.filter((o) => matches(o, search) && (status === 'all' || statusOf(o) === status))
    : [];
  const setSort = (s: OpportunitySort, o: 'asc' | 'desc') =>
    set({}, { sort: s === 'pipelineInfluenced' ? null : s, order: o === 'desc' ? null : o });
  const teamName = (id: string) => teams.data?.find((t) => t.id === id)?.name ?? id;
  const sum = (f: (o: InfluencedOpportunity) => string) => fromCents(shown.reduce((t, o) => t + toCents(f(o)), 0n));

  return (
    <>
      <ReportHeader
        title="Influenced opportunities"
        filters={{ report, set }}
        range={data}
        covers=": the opportunities chat influenced that started or changed in the range."
        until="The opportunities chat influenced, with their credit."
      />
      <ReportToolbar filters={{ report, set }}>
        <CreditModelPicker id="opportunity-model" value={model} onChange={(m) => set({}, { model: m })} />
        <SelectField id="opportunity-status" label="Status" value={status} onChange={(v) => set({}, { status: v })}>
          <option value="all">All</option>
          <option value="open">Open</option>
          <option value="won">Won</option>
          <option value="lost">Lost</option>
        </SelectField>
        <SearchField
          id="opportunity-search"
          value={search}
          placeholder="Name, id, account or owner"
          onInput={(q) => set({}, { q })}
        />
        <SortSelect id="opportunity-sort" columns={COLUMNS} sort={sort} order={order} onChange={setSort} />
        <a
          class="button button-secondary"
          href={`/api/v1/opportunities.csv${filterQuery}`}
          download="opportunities.csv"
        >
          <Icon name="download" /> Export CSV
        </a>
      </ReportToolbar>
      {list.error && <ErrorState error={list.error} retry={list.reload} />}
      {!data && !list.error && <Loading label="Loading the opportunities" />}
      {data && (
        <Card
          title={`${shown.length === data.items.length ? data.total : `${shown.length} of ${data.total}`} opportunities`}
          description={
            <span data-testid="opportunity-sums">
              Pipeline influenced{' '}
              <strong data-sum="pipelineInfluenced">
                {money(
                  sum((o) => o.pipelineInfluenced),
                  data.currency,
                )}
              </strong>{' '}
              · Closed-won influenced{' '}
              <strong data-sum="closedWonInfluenced">
                {money(
                  sum((o) => o.closedWonInfluenced),
                  data.currency,
                )}
              </strong>{' '}
              in {data.currency}; credit by the {model.replace('_', '-')} model.
            </span>
          }
        >
          {shown.length === 0 ? (
            <EmptyState
              title={data.items.length ? 'No opportunity matches' : 'No influenced opportunities in this range'}
            >
              {data.items.length ? 'Clear the search or the status.' : 'Try a longer range, or other teams.'}
            </EmptyState>
          ) : (
            <SortableTable
              label="Influenced opportunities"
              class="opportunities-table"
              columns={COLUMNS}
              sort={sort}
              order={order}
              onSort={setSort}
            >
              {shown.map((o) => (
                <OpportunityRow
                  key={o.id}
                  o={o}
                  currency={data.currency}
                  timeZone={workspace.timeZone}
                  teamName={teamName}
                />
              ))}
            </SortableTable>
          )}
        </Card>
      )}
    </>
  );
}
