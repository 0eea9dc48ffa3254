// Request input parsed with the same zod schemas the OpenAPI document shows. A bad input is a
// 400 problem naming every bad field ("conversations[3].startedAt"), never just the first.
import type { Request } from 'express';
import type { z } from 'zod';
import { HttpProblem } from './problem';

export interface FieldError {
  field: string;
  message: string;
}

/** ["conversations", 3, "startedAt"] -> "conversations[3].startedAt". */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

export function invalidInput(errors: FieldError[]): HttpProblem {
  const n = errors.length;
  return new HttpProblem({
    title: 'Bad Request',
    status: 400,
    detail: `${n} invalid field${n === 1 ? '' : 's'}: ${errors.slice(0, 3).map((e) => `${e.field}: ${e.message}`).join('; ')}${n > 3 ? '; …' : ''}`,
    errors,
  });
}

function parse<S extends z.ZodType>(schema: S, value: unknown, root: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw invalidInput(result.error.issues.map((i) => ({ field: fieldPath(i.path) || root, message: i.message })));
}

/** The JSON body; a request without one (or not sent as JSON) is a 415. */
export function parseBody<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
  if (req.body === undefined) {
    throw new HttpProblem({ title: 'Unsupported Media Type', status: 415, detail: 'send a JSON body with "Content-Type: application/json"' });
  }
  return parse(schema, req.body, '(body)');
}

export function parseJson<S extends z.ZodType>(schema: S, text: string): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw invalidInput([{ field: '(body)', message: `not valid JSON: ${(err as Error).message}` }]);
  }
  return parse(schema, value, '(body)');
}

export function parseQuery<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
  return parse(schema, req.query, '(query)');
}
