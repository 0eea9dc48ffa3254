// RFC 9457 problem details: the one shape of every API error, and the one place errors become
// HTTP. An AppError gives its status, its message as `detail`, its code, its bad fields as
// `errors` and its details as extension members; anything else is a 500 that names no internals.
import { STATUS_CODES } from 'node:http';
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { AppError } from '../platform/errors';

export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  [extension: string]: unknown;
}

export function sendProblem(res: Response, problem: Problem): void {
  res
    .status(problem.status)
    .type('application/problem+json')
    .json({ type: 'about:blank', ...problem, requestId: res.getHeader('x-request-id') });
}

export function problemOf(err: AppError): Problem {
  return {
    ...err.details,
    title: STATUS_CODES[err.status] ?? 'Error',
    status: err.status,
    code: err.code,
    detail: err.message,
    ...(err.fields.length > 0 ? { errors: err.fields } : {}),
  };
}

export const notFoundRoute: RequestHandler = (req, _res, next) => {
  next(new AppError('not_found', `no route for ${req.method} ${req.path}`));
};

/** Errors express's body parsers raise, as what they mean for the client. */
function bodyParserError(err: { type?: string; status?: number; message?: string }): AppError | null {
  switch (err.type) {
    case 'entity.too.large':
      return new AppError('payload_too_large', 'the request body is over the limit');
    case 'entity.parse.failed':
      return new AppError('invalid_input', `(body): not valid JSON: ${err.message}`, {
        fields: [{ field: '(body)', message: `not valid JSON: ${err.message}` }],
      });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('unsupported_media_type', err.message ?? 'unsupported body encoding');
    default:
      return typeof err.status === 'number' && err.status >= 400 && err.status < 500
        ? new AppError('invalid_input', err.message ?? 'bad request')
        : null;
  }
}

export const problemHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const known = err instanceof AppError ? err : bodyParserError(err ?? {});
  if (known) {
    if (known.status >= 500 && known.status !== 503) req.log?.error({ err, code: known.code }, known.message);
    if (typeof known.details.retryAfterSeconds === 'number')
      res.set('retry-after', String(known.details.retryAfterSeconds));
    return sendProblem(res, problemOf(known));
  }
  req.log?.error({ err }, 'unhandled error');
  sendProblem(res, {
    title: 'Internal Server Error',
    status: 500,
    detail: 'something went wrong on our side; the request id identifies it in our logs',
  });
};
