import { parseTeamList, replayScenario } from '../../src/scenarios/replay';
import { readFixture, scenarioFiles } from '../support/scenarios';

describe.each(scenarioFiles)('shared scenario %s', (file) => {
  it('replays to the expected daily series for all teams', async () => {
    const scenario = await readFixture(file);
    expect(replayScenario(scenario)).toEqual(scenario.expected?.daily);
  });

  it('replays to the expected series for every team filter it lists', async () => {
    const scenario = await readFixture(file);
    for (const [teams, expected] of Object.entries(scenario.expected?.teams ?? {})) {
      expect({ teams, daily: replayScenario(scenario, parseTeamList(teams)) }).toEqual({
        teams,
        daily: expected.daily,
      });
    }
  });
});
