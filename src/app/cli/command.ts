// The shape of an admin CLI command: parsed options in, printed lines out.
import type { OpenDatabase } from '../database';

export interface CliContext {
  database: OpenDatabase;
  out: (line: string) => void;
}

export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>;
  run(ctx: CliContext, values: Record<string, string | boolean | string[] | undefined>): Promise<void>;
}

/** An expected failure: printed without a stack trace, exit code 2. */
export class CliError extends Error {}

export function required(values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new CliError(`--${name} is required`);
  return v;
}

export const list = (v: unknown) =>
  typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
