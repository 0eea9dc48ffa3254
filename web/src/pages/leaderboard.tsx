// Agents and teams: their conversations, qualified chats and meetings in the range, and the
// pipeline and closed-won booked in the range for the opportunities they touched. Not additive.
import { LeaderboardCreditCard } from '../analytics/leaderboard-credit';
import { api } from '../api/client';
import type { Leaderboard } from '../api/types';
import { useResource } from '../api/use-resource';
import { DateRangePicker } from '../components/date-range';
import { EmptyState, ErrorState, Loading } from '../components/states';
import { TeamFilter } from '../components/team-filter';
import { Card, PageHeader } from '../components/ui';
import { count, longDay, money } from '../lib/format';
import { centsToNumber, toCents } from '../lib/money';
import { useWorkspace } from '../session';
import { reportQuery, teamsParam, useReportFilters, useTeams } from './report-filters';

type Row = Leaderboard['byAgent'][number] | Leaderboard['byTeam'][number];

function Bar({ value, max }: { value: string; max: number }) {
  const n = centsToNumber(toCents(value));
  const width = max > 0 && n > 0 ? Math.max(2, (n / max) * 100) : 0;
  return (
    <span class="inline-bar" aria-hidden="true">
      <span style={{ width: `${width}%` }} />
    </span>
  );
}

function Board({
  rows,
  name,
  currency,
  label,
}: {
  rows: { key: string; name: string; row: Row }[];
  name: string;
  currency: string;
  label: string;
}) {
  const max = Math.max(0, ...rows.map((r) => centsToNumber(toCents(r.row.pipelineInfluenced))));
  if (rows.length === 0)
    return <EmptyState title={`No ${label} in this range`}>Try a longer range, or other teams.</EmptyState>;
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label={`Leaderboard by ${label}`}>
      <table class="table leaderboard cards">
        <thead>
          <tr>
            <th scope="col" class="rank">
              #
            </th>
            <th scope="col">{name}</th>
            <th scope="col" class="num">
              Chats
            </th>
            <th scope="col" class="num">
              Qualified
            </th>
            <th scope="col" class="num">
              Meetings
            </th>
            <th scope="col" class="num pipeline-col">
              Pipeline influenced
            </th>
            <th scope="col" class="num">
              Closed-won
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={r.key}>
              <td class="rank muted">{i + 1}</td>
              <th scope="row" data-label={name}>
                {r.name}
                {r.name !== r.key && <span class="muted small"> {r.key}</span>}
              </th>
              <td class="num" data-label="Chats">
                {count(r.row.conversations)}
              </td>
              <td class="num" data-label="Qualified">
                {count(r.row.qualifiedChats)}
              </td>
              <td class="num" data-label="Meetings">
                {count(r.row.meetingsBooked)}
              </td>
              <td class="num pipeline-col" data-label="Pipeline influenced">
                <span class="bar-cell">
                  <Bar value={r.row.pipelineInfluenced} max={max} />
                  {money(r.row.pipelineInfluenced, currency)}
                </span>
              </td>
              <td class="num" data-label="Closed-won" data-amount>
                {money(r.row.closedWonInfluenced, currency)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function LeaderboardPage() {
  const workspace = useWorkspace();
  const [filters, setFilters] = useReportFilters();
  const teams = useTeams();
  const board = useResource(
    (signal) => api.get<Leaderboard>(`/api/v1/leaderboard${reportQuery(filters)}`, signal),
    [filters.range.from, filters.range.to, teamsParam(filters.teams)],
  );
  const b = board.data;
  return (
    <>
      <PageHeader
        title="Leaderboard"
        subtitle={
          b ? (
            <>
              From {longDay(b.from)} to {longDay(b.to)}. An opportunity touched by two agents counts in both rows: rows
              do not add up.
            </>
          ) : (
            'Who chatted, and what their chats influenced.'
          )
        }
        actions={
          teams.data && (
            <TeamFilter teams={teams.data} selected={filters.teams} onChange={(t) => setFilters({ teams: t })} />
          )
        }
      />
      <div class="toolbar page-toolbar">
        <DateRangePicker
          value={filters.range}
          preset={filters.preset}
          timeZone={workspace.timeZone}
          onChange={(range, preset) => setFilters({ range, preset })}
        />
      </div>
      {board.error && <ErrorState error={board.error} retry={board.reload} />}
      {!b && !board.error && <Loading label="Loading the leaderboard" />}
      {b && (
        <div class="stack">
          <Card title="Teams">
            <Board
              label="teams"
              name="Team"
              currency={b.currency}
              rows={b.byTeam.map((r) => ({ key: r.teamId, name: r.name, row: r }))}
            />
          </Card>
          <Card title="Agents">
            <Board
              label="agents"
              name="Agent"
              currency={b.currency}
              rows={b.byAgent.map((r) => ({ key: r.agentId, name: r.agentId, row: r }))}
            />
          </Card>
          <LeaderboardCreditCard range={filters.range} teams={teamsParam(filters.teams)} />
        </div>
      )}
    </>
  );
}
