// Reads and validates scenario files, with errors that name the file and the bad field.
import { readFile } from 'node:fs/promises';
import { AppError, fieldErrorsOf } from '../platform/errors';
import { scenarioFile, type ScenarioFile } from './schema';

const invalidFile = (message: string, fields: { field: string; message: string }[] = []) =>
  new AppError('invalid_input', message, { fields });

export async function readScenario(path: string): Promise<ScenarioFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw invalidFile(`${path}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  return parseScenario(text, path);
}

/** "file.json: events[3].amount: expected number, received string" for each bad field, joined by "; ". */
export function parseScenario(text: string, path: string): ScenarioFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw invalidFile(`${path}: not valid JSON (${(err as Error).message})`);
  }
  const parsed = scenarioFile.safeParse(json);
  if (parsed.success) return parsed.data;
  const fields = fieldErrorsOf(parsed.error, '(file)');
  throw invalidFile(`${path}: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`, fields);
}
