// The shape of an admin CLI command: parsed options in, printed lines out, its dependencies taken
// from the composition root. Expected failures are AppErrors: printed without a stack trace.
import { AppError, isAppError } from '../../platform/errors';
import type { Root } from '../root';

export interface CliContext {
  root: Root;
  out: (line: string) => void;
  /** Progress of long work, for people (stderr in the terminal; stdout stays the result). */
  progress?: (line: string) => void;
}

export type CliValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>;
  /** The option that carries each input field, where their names differ (timeZone: 'timezone'). */
  flags?: Record<string, string>;
  run(ctx: CliContext, values: CliValues): Promise<void>;
}

export const usageError = (message: string) => new AppError('invalid_input', message);

export function required(values: CliValues, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw usageError(`--${name} is required`);
  return v;
}

export const list = (v: unknown) =>
  typeof v === 'string'
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;

/** Runs a command; a bad input field comes back named as the option that carried it ("--name: ..."). */
export async function runCommand(command: CliCommand, ctx: CliContext, values: CliValues): Promise<void> {
  try {
    await command.run(ctx, values);
  } catch (err) {
    if (isAppError(err, 'invalid_input') && err.fields.length > 0) {
      const flag = (field: string) => `--${command.flags?.[field] ?? field.split(/[.[]/)[0]}`;
      throw usageError(err.fields.map((f) => `${flag(f.field)}: ${f.message}`).join('; '));
    }
    throw err;
  }
}
