// RFC 9457 problem details: the one shape of every API error.
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';

export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  [extension: string]: unknown;
}

/** An expected failure with an HTTP meaning; thrown by handlers, rendered by one middleware. */
export class HttpProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
}

export function sendProblem(res: Response, problem: Problem): void {
  res
    .status(problem.status)
    .type('application/problem+json')
    .json({ type: 'about:blank', ...problem, requestId: res.getHeader('x-request-id') });
}

export const notFound: RequestHandler = (req, res) => {
  sendProblem(res, { title: 'Not Found', status: 404, detail: `no route for ${req.method} ${req.path}` });
};

export const problemHandler: ErrorRequestHandler = (err, req, res, _next) => {
  if (err instanceof HttpProblem) return sendProblem(res, err.problem);
  const status = typeof err?.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500;
  if (status === 413) return sendProblem(res, { title: 'Payload Too Large', status, detail: 'the request body is over the limit' });
  if (status < 500) return sendProblem(res, { title: 'Bad Request', status, detail: err?.message ?? 'bad request' });
  req.log?.error({ err }, 'unhandled error');
  sendProblem(res, { title: 'Internal Server Error', status: 500, detail: 'something went wrong on our side; the request id identifies it in our logs' });
};
