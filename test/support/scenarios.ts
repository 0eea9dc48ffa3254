import { readdirSync } from 'node:fs';
import path from 'node:path';
import { readScenario } from '../../src/scenarios/read';

export const scenarioDir = path.join(__dirname, '..', 'fixtures', 'scenarios');
export const scenarioFiles = readdirSync(scenarioDir)
  .filter((f) => f.endsWith('.json'))
  .sort();
export const readFixture = (file: string) => readScenario(path.join(scenarioDir, file));
