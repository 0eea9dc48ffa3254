// Replays a scenario through the engine: the series finance recomputes from raw history.
import { creditOfResults, type CreditModel } from '../attribution/credit';
import { attribute } from '../attribution/engine';
import { formatCents } from '../attribution/money';
import type { OpportunityAttribution } from '../attribution/result';
import { dailyTotals } from '../attribution/series';
import type { ExpectedDaily, ScenarioFile } from './schema';
import { scenarioHistory } from './to-history';

/** A conversation's credit over the whole file, as the replay tool prints it. */
export interface ReplayedCredit {
  conversationId: string;
  teamId: string;
  agentId: string | null;
  pipeline: string;
  closedWon: string;
}

function attributeScenario(scenario: ScenarioFile, teams: ReadonlySet<string> | null): OpportunityAttribution[] {
  const settings = {
    timeZone: scenario.workspace.timezone,
    attributionWindowDays: scenario.workspace.attributionWindowDays,
  };
  return attribute(scenarioHistory(scenario), settings, { teams });
}

export function replayScenario(scenario: ScenarioFile, teams: ReadonlySet<string> | null = null): ExpectedDaily[] {
  return dailyTotals(attributeScenario(scenario, teams)).map((t) => ({
    date: t.date,
    pipelineInfluenced: formatCents(t.pipelineInfluenced),
    closedWonInfluenced: formatCents(t.closedWonInfluenced),
  }));
}

/** Each touching conversation's credit under the model, totals over the file (for the team set). */
export function replayCredit(
  scenario: ScenarioFile,
  model: CreditModel,
  teams: ReadonlySet<string> | null = null,
): ReplayedCredit[] {
  return creditOfResults(model, attributeScenario(scenario, teams), teams).map((c) => ({
    conversationId: c.conversationId,
    teamId: c.teamId,
    agentId: c.agentId,
    pipeline: formatCents(c.pipeline),
    closedWon: formatCents(c.closedWon),
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
