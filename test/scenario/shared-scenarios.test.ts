import { readdirSync } from 'node:fs';
import path from 'node:path';
import { readScenario } from '../../src/scenario/read';
import { parseTeamList, replayScenario } from '../../src/scenario/replay';

const dir = path.join(__dirname, '..', 'fixtures', 'scenarios');
export const scenarioFiles = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

describe.each(scenarioFiles)('shared scenario %s', (file) => {
  it('replays to the expected daily series for all teams', async () => {
    const scenario = await readScenario(path.join(dir, file));
    expect(replayScenario(scenario)).toEqual(scenario.expected?.daily);
  });

  it('replays to the expected series for every team filter it lists', async () => {
    const scenario = await readScenario(path.join(dir, file));
    for (const [teams, expected] of Object.entries(scenario.expected?.teams ?? {})) {
      expect({ teams, daily: replayScenario(scenario, parseTeamList(teams)) }).toEqual({ teams, daily: expected.daily });
    }
  });
});
