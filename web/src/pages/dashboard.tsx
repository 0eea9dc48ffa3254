// The revenue influence dashboard: yesterday's numbers against the day before, then the range's
// series as charts (a bar of pipeline or closed-won leads to that period's ledger entries) and totals.
import { useEffect } from 'preact/hooks';
import { api, query } from '../api/client';
import type { Dashboard, Measure, SalesforceStatus } from '../api/types';
import { useResource } from '../api/use-resource';
import { DashboardOutcomes } from '../analytics/dashboard-outcomes';
import { useChartsModule } from '../charts/lazy';
import { PALETTE } from '../charts/palette';
import { DateRangePicker } from '../components/date-range';
import { Callout, EmptyState, ErrorState, Loading } from '../components/states';
import { TeamFilter } from '../components/team-filter';
import { Card, PageHeader, Segmented } from '../components/ui';
import { addDays, todayIn, yesterdayIn } from '../lib/days';
import { count, longDay, money } from '../lib/format';
import { Link, navigate } from '../router';
import { useWorkspace } from '../session';
import { KpiRow } from './dashboard-kpis';
import { ledgerLink, TotalsTable } from './dashboard-table';
import { reportQuery, teamsParam, useReportFilters, useTeams } from './report-filters';
import { SaveViewButton } from './views';

export function DashboardPage() {
  const workspace = useWorkspace();
  const [filters, setFilters] = useReportFilters();
  const teams = useTeams();
  const yesterday = yesterdayIn(workspace.timeZone);
  const teamKey = teamsParam(filters.teams);

  const kpis = useResource(
    (signal) =>
      api.get<Dashboard>(
        `/api/v1/dashboard${query({ from: addDays(yesterday, -1), to: yesterday, teams: teamKey })}`,
        signal,
      ),
    [yesterday, teamKey],
  );
  const trend = useResource(
    (signal) =>
      api.get<Dashboard>(`/api/v1/dashboard${reportQuery(filters, { granularity: filters.granularity })}`, signal),
    [filters.range.from, filters.range.to, teamKey, filters.granularity],
  );
  const connection = useResource((signal) => api.get<SalesforceStatus>('/api/v1/salesforce/connection', signal), []);

  // While a sync runs, look again every few seconds; when it ends, the numbers are reloaded.
  const running = connection.data?.status !== 'not_connected' && connection.data?.running === true;
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(connection.reload, 3000);
    return () => {
      clearInterval(timer);
      kpis.reload();
      trend.reload();
    };
  }, [running]);

  // The charts module loads once the KPIs are on screen (or failed): they come first.
  const charts = useChartsModule(kpis.data !== null || kpis.error !== null);
  const d = charts ? trend.data : null;
  return (
    <>
      <PageHeader
        title="Revenue influence"
        subtitle={
          <>
            Yesterday, {longDay(yesterday)} · days in {workspace.timeZone} · amounts in {workspace.reportingCurrency}
          </>
        }
        actions={
          <>
            {teams.data && (
              <TeamFilter teams={teams.data} selected={filters.teams} onChange={(t) => setFilters({ teams: t })} />
            )}
            <SaveViewButton filters={filters} />
          </>
        }
      />
      {connection.data?.status === 'not_connected' && (
        <Callout
          tone="info"
          title="No Salesforce org connected yet — connect one to see pipeline"
          action={
            <Link class="button button-primary button-small" href="/salesforce">
              Connect Salesforce
            </Link>
          }
        >
          Chat numbers are counted already; Pipeline and Closed-Won Influenced need the opportunities of your org.
        </Callout>
      )}
      {running && (
        <Callout tone="info" title="A Salesforce sync is running">
          The numbers refresh by themselves when it ends.
        </Callout>
      )}

      {kpis.error ? (
        <ErrorState error={kpis.error} retry={kpis.reload} />
      ) : (
        <KpiRow data={kpis.data} loading={kpis.loading} />
      )}

      <div class="section-bar">
        <h2 class="section-title">Trends</h2>
        <div class="toolbar">
          <DateRangePicker
            value={filters.range}
            preset={filters.preset}
            timeZone={workspace.timeZone}
            onChange={(range, preset) => setFilters({ range, preset })}
          />
          {filters.preset === 'mtd' && todayIn(workspace.timeZone).endsWith('-01') && (
            <span class="muted small" data-testid="mtd-note">
              Today is the 1st: no day of this month is complete, so month to date shows last month.
            </span>
          )}
          <Segmented
            label="Group by"
            value={filters.granularity}
            onChange={(g) => setFilters({ granularity: g })}
            options={[
              { value: 'day', label: 'Daily' },
              { value: 'week', label: 'Weekly' },
              { value: 'month', label: 'Monthly' },
            ]}
          />
        </div>
      </div>

      {trend.error && <ErrorState error={trend.error} retry={trend.reload} />}
      {!d && !trend.error && (
        <Loading label="Loading the charts">
          <div class="chart-grid">
            {[0, 1, 2, 3].map((i) => (
              <div key={i} class="card chart-skeleton skeleton" />
            ))}
          </div>
        </Loading>
      )}
      {d && charts && (
        <div class={`trend ${trend.loading ? 'is-refreshing' : ''}`} aria-busy={trend.loading}>
          <div class="chart-grid">
            <Card
              title="Pipeline Influenced"
              description={
                <>
                  {money(d.totals.pipelineInfluenced, d.currency, { signed: true })} from {longDay(d.from)} to{' '}
                  {longDay(d.to)} · select a bar for its ledger entries
                </>
              }
            >
              {quiet(d, 'pipelineInfluenced') ? (
                <NoInfluence connected={connection.data?.status !== 'not_connected'} what="pipeline" />
              ) : (
                <charts.Chart
                  label="Pipeline Influenced: change per period as bars, running total in the range as a line"
                  option={charts.influenceOption(d, 'pipelineInfluenced', PALETTE.blue)}
                  onClickIndex={(i) => openLedger(d, i, 'pipeline', teamKey)}
                />
              )}
            </Card>
            <Card
              title="Closed-Won Influenced"
              description={
                <>
                  {money(d.totals.closedWonInfluenced, d.currency, { signed: true })} in the range · select a bar for
                  its ledger entries
                </>
              }
            >
              {quiet(d, 'closedWonInfluenced') ? (
                <NoInfluence connected={connection.data?.status !== 'not_connected'} what="closed-won revenue" />
              ) : (
                <charts.Chart
                  label="Closed-Won Influenced: change per period as bars, running total in the range as a line"
                  option={charts.influenceOption(d, 'closedWonInfluenced', PALETTE.green)}
                  onClickIndex={(i) => openLedger(d, i, 'closed_won', teamKey)}
                />
              )}
            </Card>
            <Card
              title="Leads"
              description={
                <>
                  {count(d.totals.leadVolume)} leads and {count(d.totals.meetingsBooked)} meetings booked in the range
                </>
              }
            >
              <charts.Chart label="Leads and meetings booked over time" option={charts.leadsOption(d)} />
            </Card>
            <Card
              title="Chats"
              description={
                <>
                  {count(d.totals.totalChats)} chats, {count(d.totals.qualifiedChats)} qualified, in the range
                </>
              }
            >
              <charts.Chart label="Total and qualified chats over time" option={charts.chatsOption(d)} />
            </Card>
          </div>
          <Card
            title={`Totals by ${d.granularity}`}
            description="Pipeline and closed-won are the changes booked in each period; an opportunity counts once, whatever the teams."
          >
            <TotalsTable data={d} teams={teamKey} />
          </Card>
        </div>
      )}
      <DashboardOutcomes
        range={filters.range}
        teams={teamKey}
        timeZone={workspace.timeZone}
        currency={workspace.reportingCurrency}
      />
    </>
  );
}

/** No change in the whole range: an empty state says why, rather than a flat line at zero. */
const quiet = (d: Dashboard, measure: 'pipelineInfluenced' | 'closedWonInfluenced') =>
  d.series.every((p) => /^-?0\.00$/.test(p[measure]));

function NoInfluence({ connected, what }: { connected: boolean; what: string }) {
  return (
    <div class="chart-empty">
      {connected ? (
        <EmptyState title={`No ${what} influenced in this range`}>
          Try a longer range or other teams. A chat influences an opportunity once its email matches a contact on it.
        </EmptyState>
      ) : (
        <EmptyState
          icon="plug"
          title="No Salesforce org connected yet"
          action={
            <Link class="button button-secondary button-small" href="/salesforce">
              Connect Salesforce
            </Link>
          }
        >
          Connect one to see {what}.
        </EmptyState>
      )}
    </div>
  );
}

/** A bar's drill-down: that period's entries of that measure, for the same teams. */
function openLedger(d: Dashboard, index: number, measure: Measure, teams: string | null) {
  const p = d.series[index];
  if (p) navigate(ledgerLink(p, measure, teams));
}
