// Reads and validates scenario files, with errors that name the file and the bad field.
import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { scenarioFile, type ScenarioFile } from './schema';

export class ScenarioError extends Error {}

export async function readScenario(path: string): Promise<ScenarioFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ScenarioError(`${path}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  return parseScenario(text, path);
}

export function parseScenario(text: string, path: string): ScenarioFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ScenarioError(`${path}: not valid JSON (${(err as Error).message})`);
  }
  const parsed = scenarioFile.safeParse(json);
  if (!parsed.success) throw new ScenarioError(`${path}: ${describeIssues(parsed.error.issues)}`);
  return parsed.data;
}

/** "events[3].amount: expected number, received string" for each issue, joined by "; ". */
export function describeIssues(issues: z.core.$ZodIssue[]): string {
  return issues.map((i) => `${fieldPath(i.path) || '(file)'}: ${i.message}`).join('; ');
}

export function fieldPath(path: PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}
