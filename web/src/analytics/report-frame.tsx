// The frame the analytics pages share: a header that says what the range covers, with the team
// filter beside it; a toolbar of the range picker followed by the page's own controls (labelled
// selects, a search box, the phone's sort order); and the sortable column headers of their lists
// (a button per header, aria-sort on the sorted one).
import type { ComponentChildren } from 'preact';
import { DateRangePicker } from '../components/date-range';
import { TeamFilter } from '../components/team-filter';
import { PageHeader } from '../components/ui';
import { longDay } from '../lib/format';
import { useTeams } from '../pages/report-filters';
import { useWorkspace } from '../session';
import type { AnalyticsFilters } from './analytics-filters';

type Filters = Pick<AnalyticsFilters, 'report' | 'set'>;

export function ReportHeader({
  title,
  filters,
  range,
  covers,
  until,
}: {
  title: string;
  filters: Filters;
  /** The range the loaded report covers; null until it has loaded. */
  range: { from: string; to: string } | null;
  /** What it covers, read after "From … to …" (so it starts with its own punctuation). */
  covers: ComponentChildren;
  /** The subtitle until the report has loaded. */
  until: string;
}) {
  const teams = useTeams();
  const { report, set } = filters;
  return (
    <PageHeader
      title={title}
      subtitle={
        range ? (
          <>
            From {longDay(range.from)} to {longDay(range.to)}
            {covers}
          </>
        ) : (
          until
        )
      }
      actions={
        teams.data && <TeamFilter teams={teams.data} selected={report.teams} onChange={(t) => set({ teams: t })} />
      }
    />
  );
}

export function ReportToolbar({
  filters,
  wraps = true,
  children,
}: {
  filters: Filters;
  /** Controls of its own beside the range picker: the toolbar wraps them on a narrow screen. */
  wraps?: boolean;
  children?: ComponentChildren;
}) {
  const workspace = useWorkspace();
  const { report, set } = filters;
  return (
    <div class={wraps ? 'toolbar page-toolbar analytics-toolbar' : 'toolbar page-toolbar'}>
      <DateRangePicker
        value={report.range}
        preset={report.preset}
        timeZone={workspace.timeZone}
        onChange={(range, preset) => set({ range, preset })}
      />
      {children}
    </div>
  );
}

/** A labelled select of the toolbar; `class` adds to the label's (e.g. phone-only). */
export function SelectField({
  id,
  label,
  value,
  onChange,
  class: extra,
  children,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  class?: string;
  children: ComponentChildren;
}) {
  return (
    <label class={extra ? `inline-field ${extra}` : 'inline-field'} for={id}>
      <span>{label}</span>
      <select
        id={id}
        class="select"
        value={value}
        onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value)}
      >
        {children}
      </select>
    </label>
  );
}

/** The toolbar's search box, labelled "Find". */
export function SearchField({
  id,
  value,
  placeholder,
  onInput,
}: {
  id: string;
  value: string;
  placeholder: string;
  onInput: (value: string) => void;
}) {
  return (
    <label class="inline-field search-field" for={id}>
      <span>Find</span>
      <input
        id={id}
        type="search"
        class="input"
        value={value}
        placeholder={placeholder}
        onInput={(e) => onInput((e.currentTarget as HTMLInputElement).value)}
      />
    </label>
  );
}

/** On a phone a list is cards without column headers: its order is chosen here instead. */
export function SortSelect<S extends string>({
  id,
  columns,
  sort,
  order,
  onChange,
}: {
  id: string;
  columns: readonly { label: string; sort?: S | undefined }[];
  sort: S;
  order: 'asc' | 'desc';
  onChange: (sort: S, order: 'asc' | 'desc') => void;
}) {
  const sortable = columns.flatMap((c) => (c.sort ? [{ label: c.label, sort: c.sort }] : []));
  return (
    <SelectField
      id={id}
      label="Sort by"
      class="phone-only"
      value={`${sort}:${order}`}
      onChange={(v) => {
        const [by, o] = v.split(':');
        const column = sortable.find((c) => c.sort === by);
        if (column) onChange(column.sort, o === 'asc' ? 'asc' : 'desc');
      }}
    >
      {sortable.flatMap((c) =>
        (['desc', 'asc'] as const).map((o) => (
          <option key={`${c.sort}:${o}`} value={`${c.sort}:${o}`}>
            {c.label} {o === 'desc' ? '(descending)' : '(ascending)'}
          </option>
        )),
      )}
    </SelectField>
  );
}

/** A column of a sortable list; `ascFirst` for text and dates, which read naturally A→Z and earliest first. */
export interface Column<S extends string> {
  key: string;
  label: string;
  sort?: S;
  num?: boolean;
  ascFirst?: boolean;
}

export function SortHeader<S extends string>({
  column,
  sort,
  order,
  onSort,
}: {
  column: Column<S>;
  sort: S;
  order: 'asc' | 'desc';
  onSort: (sort: S, order: 'asc' | 'desc') => void;
}) {
  const cls = column.num ? 'num' : undefined;
  const by = column.sort;
  if (!by)
    return (
      <th scope="col" class={cls}>
        {column.label}
      </th>
    );
  const active = by === sort;
  const firstOrder = column.ascFirst ? 'asc' : 'desc';
  return (
    <th scope="col" class={cls} aria-sort={active ? (order === 'asc' ? 'ascending' : 'descending') : undefined}>
      <button
        type="button"
        class="sort-button"
        onClick={() => onSort(by, active ? (order === 'asc' ? 'desc' : 'asc') : firstOrder)}
      >
        {column.label}
        <span aria-hidden="true" class="sort-mark">
          {active ? (order === 'asc' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  );
}

/** A sorted list as a table (cards on a phone), its last column the record's Salesforce link. */
export function SortableTable<S extends string>({
  label,
  class: cls,
  columns,
  sort,
  order,
  onSort,
  children,
}: {
  label: string;
  class: string;
  columns: readonly Column<S>[];
  sort: S;
  order: 'asc' | 'desc';
  onSort: (sort: S, order: 'asc' | 'desc') => void;
  children: ComponentChildren;
}) {
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label={label}>
      <table class={`table ${cls} card-table`}>
        <thead>
          <tr>
            {columns.map((c) => (
              <SortHeader key={c.key} column={c} sort={sort} order={order} onSort={onSort} />
            ))}
            <th scope="col">
              <span class="visually-hidden">Salesforce</span>
            </th>
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
