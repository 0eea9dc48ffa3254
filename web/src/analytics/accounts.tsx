// The accounts that chatted in a range (GET /api/v1/accounts): sorted by the API, found here by
// name or id, narrowed to target accounts or the others by the API; each opens its timeline and
// its record in Salesforce.
import { getAllPages, query } from '../api/client';
import { ACCOUNT_SORTS, type AccountPage, type AccountSort, type AccountSummary } from '../api/account-types';
import { useResource } from '../api/use-resource';
import { Icon } from '../components/icons';
import { EmptyState, ErrorState, Loading } from '../components/states';
import { Card, Pill } from '../components/ui';
import { count, mediumDay, money } from '../lib/format';
import { Link, useLocation } from '../router';
import { teamsParam } from '../pages/report-filters';
import { useWorkspace } from '../session';
import { useAnalyticsFilters } from './analytics-filters';
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
import './accounts.css';

/** The day and the time of an instant in the workspace's zone. */
const dayIn = (iso: string, timeZone: string) => new Date(iso).toLocaleDateString('en-CA', { timeZone });
export const timeIn = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat('en-US', { timeStyle: 'short', timeZone }).format(new Date(iso));

const COLUMNS: Column<AccountSort>[] = [
  { key: 'name', label: 'Account', sort: 'name', ascFirst: true },
  { key: 'chats', label: 'Chats', sort: 'chats', num: true },
  { key: 'contacts', label: 'Contacts', sort: 'contacts', num: true },
  { key: 'opportunities', label: 'Opportunities', sort: 'opportunities', num: true },
  { key: 'openInfluencedPipeline', label: 'Open influenced pipeline', sort: 'openInfluencedPipeline', num: true },
  { key: 'closedWonInfluenced', label: 'Closed-won influenced', sort: 'closedWonInfluenced', num: true },
  { key: 'lastChatAt', label: 'Last chat', sort: 'lastChatAt' },
];

const DEFAULT_SORT: AccountSort = 'lastChatAt';

function matches(a: AccountSummary, search: string): boolean {
  const s = search.trim().toLowerCase();
  if (!s) return true;
  return [a.name, a.id].some((v) => v?.toLowerCase().includes(s));
}

/** Copies an id to the clipboard; the button names what it copies. */
export function CopyId({ id, what }: { id: string; what: string }) {
  return (
    <button
      type="button"
      class="copy-id"
      title={`Copy the id ${id}`}
      onClick={() => void navigator.clipboard?.writeText(id)}
    >
      <Icon name="copy" size={14} />
      <span class="visually-hidden">Copy the Salesforce id of {what}</span>
    </button>
  );
}

function AccountRow({
  a,
  currency,
  timeZone,
  detailQuery,
}: {
  a: AccountSummary;
  currency: string;
  timeZone: string;
  detailQuery: string;
}) {
  const name = a.name ?? a.id;
  return (
    <tr data-account={a.id}>
      <th scope="row" data-label="Account">
        <span class="account-cell">
          <span class="account-name">
            <Link href={`/accounts/${encodeURIComponent(a.id)}${detailQuery}`} title={`Its timeline · ${a.id}`}>
              {name}
            </Link>
            <CopyId id={a.id} what={name} />
          </span>
          {a.targetAccount && <Pill tone="purple">Target account</Pill>}
        </span>
      </th>
      <td class="num" data-label="Chats" data-field="chats" data-value={String(a.chats)}>
        {count(a.chats)}
      </td>
      <td class="num" data-label="Contacts" data-field="contacts" data-value={String(a.contacts)}>
        <span>
          {count(a.contacts)}{' '}
          <span class="muted small" data-field="chattedContacts" data-value={String(a.chattedContacts)}>
            ({count(a.chattedContacts)} chatted)
          </span>
        </span>
      </td>
      <td class="num" data-label="Opportunities" data-field="opportunities" data-value={String(a.opportunities)}>
        {count(a.opportunities)}
      </td>
      <td
        class="num amount-cell"
        data-label="Open influenced pipeline"
        data-field="openInfluencedPipeline"
        data-value={a.openInfluencedPipeline}
      >
        {money(a.openInfluencedPipeline, currency)}
      </td>
      <td
        class="num amount-cell"
        data-label="Closed-won influenced"
        data-field="closedWonInfluenced"
        data-value={a.closedWonInfluenced}
      >
        {money(a.closedWonInfluenced, currency)}
      </td>
      <td data-label="Last chat" data-field="lastChatAt" data-value={a.lastChatAt}>
        <span class="cell-lines">
          <span>{mediumDay(dayIn(a.lastChatAt, timeZone))}</span>
          <span class="muted small">{timeIn(a.lastChatAt, timeZone)}</span>
        </span>
      </td>
      <td data-label="Salesforce">
        {a.salesforceUrl ? (
          <a class="sf-link" href={a.salesforceUrl} target="_blank" rel="noopener noreferrer">
            <Icon name="salesforce" /> <span class="visually-hidden">Open {name} in </span>
            <span>Salesforce</span>
            <span class="visually-hidden"> (new tab)</span>
          </a>
        ) : (
          <span class="muted">—</span>
        )}
      </td>
    </tr>
  );
}

export function AccountsPage() {
  const workspace = useWorkspace();
  const { report, param, set } = useAnalyticsFilters();
  const sortParam = param('sort');
  const sort: AccountSort = ACCOUNT_SORTS.find((s) => s === sortParam) ?? DEFAULT_SORT;
  const order = param('order') === 'asc' ? 'asc' : 'desc';
  const search = param('q') ?? '';
  const targetParam = param('target');
  const target = targetParam === 'true' || targetParam === 'false' ? targetParam : null;
  const filterQuery = query({
    from: report.range.from,
    to: report.range.to,
    teams: teamsParam(report.teams),
    target,
    sort,
    order,
  });
  const list = useResource(
    (signal) => getAllPages<AccountPage>(`/api/v1/accounts${filterQuery}&limit=500`, signal),
    [filterQuery],
  );
  const data = list.data;
  const shown = data ? data.items.filter((a) => matches(a, search)) : [];
  const setSort = (s: AccountSort, o: 'asc' | 'desc') =>
    set({}, { sort: s === DEFAULT_SORT ? null : s, order: o === 'desc' ? null : o });
  // The timeline keeps the list's address (its teams, and the range and sort to come back to).
  const { query: address } = useLocation();
  const detailQuery = address.toString() ? `?${address.toString()}` : '';

  return (
    <>
      <ReportHeader
        title="Accounts"
        filters={{ report, set }}
        range={data}
        covers=": the Salesforce accounts whose contacts chatted, with their opportunities."
        until="The Salesforce accounts whose contacts chatted."
      />
      <ReportToolbar filters={{ report, set }}>
        <SelectField
          id="account-target"
          label="Show"
          value={target ?? 'all'}
          onChange={(v) => set({}, { target: v === 'all' ? null : v })}
        >
          <option value="all">All accounts</option>
          <option value="true">Target accounts</option>
          <option value="false">Other accounts</option>
        </SelectField>
        <SearchField
          id="account-search"
          value={search}
          placeholder="Account name or id"
          onInput={(q) => set({}, { q })}
        />
        <SortSelect id="account-sort" columns={COLUMNS} sort={sort} order={order} onChange={setSort} />
      </ReportToolbar>
      {list.error && <ErrorState error={list.error} retry={list.reload} />}
      {!data && !list.error && <Loading label="Loading the accounts" />}
      {data && (
        <Card
          title={`${shown.length === data.items.length ? data.total : `${shown.length} of ${data.total}`} accounts`}
          description={`Money in ${data.currency}. Open influenced pipeline: the open opportunities chat influenced, at the end of the range; closed-won influenced: what the range added.`}
        >
          {shown.length === 0 ? (
            <EmptyState title={data.items.length ? 'No account matches' : 'No account chatted in this range'}>
              {data.items.length ? 'Clear the search.' : 'Try a longer range, or other teams.'}
            </EmptyState>
          ) : (
            <SortableTable
              label="Accounts"
              class="accounts-table"
              columns={COLUMNS}
              sort={sort}
              order={order}
              onSort={setSort}
            >
              {shown.map((a) => (
                <AccountRow
                  key={a.id}
                  a={a}
                  currency={data.currency}
                  timeZone={workspace.timeZone}
                  detailQuery={detailQuery}
                />
              ))}
            </SortableTable>
          )}
        </Card>
      )}
    </>
  );
}
