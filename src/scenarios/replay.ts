// Replays a scenario through the engine: the series finance recomputes from raw history.
import { attribute } from '../attribution/engine';
import { formatCents } from '../attribution/money';
import { dailyTotals } from '../attribution/series';
import type { ExpectedDaily, ScenarioFile } from './schema';
import { scenarioHistory } from './to-history';

export function replayScenario(scenario: ScenarioFile, teams: ReadonlySet<string> | null = null): ExpectedDaily[] {
  const settings = {
    timeZone: scenario.workspace.timezone,
    attributionWindowDays: scenario.workspace.attributionWindowDays,
  };
  const results = attribute(scenarioHistory(scenario), settings, { teams });
  return dailyTotals(results).map((t) => ({
    date: t.date,
    pipelineInfluenced: formatCents(t.pipelineInfluenced),
    closedWonInfluenced: formatCents(t.closedWonInfluenced),
  }));
}

/** "sales, support" -> {"sales","support"}; empty parts are dropped. */
export function parseTeamList(list: string): Set<string> {
  return new Set(
    list
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
  );
}
