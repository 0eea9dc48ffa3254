// The one way a route reads its input: the same zod schemas the OpenAPI document shows. A bad
// input is a 400 problem naming every bad field ("conversations[3].startedAt"), never just the first.
import type { Request } from 'express';
import type { z } from 'zod';
import { AppError, invalidInput, parseInput } from '../platform/errors';

/** The JSON body; a request without one (or not sent as JSON) is a 415. */
export function parseBody<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
  if (req.body === undefined)
    throw new AppError('unsupported_media_type', 'send a JSON body with "Content-Type: application/json"');
  return parseInput(schema, req.body, '(body)');
}

/** A body that arrived as raw bytes (a signed webhook), parsed as JSON. */
export function parseJson<S extends z.ZodType>(schema: S, text: string): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw invalidInput([{ field: '(body)', message: `not valid JSON: ${(err as Error).message}` }]);
  }
  return parseInput(schema, value, '(body)');
}

export function parseQuery<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
  return parseInput(schema, req.query, '(query)');
}

export function parseParams<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
  return parseInput(schema, req.params, '(path)');
}
