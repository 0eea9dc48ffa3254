// The chat domain's expected failures as HTTP: one map from code to status, used by every chat
// router as its last middleware (the app's problem handler then renders problem+json).
import type { ErrorRequestHandler } from 'express';
import { ServiceError, type ServiceErrorCode } from '../platform/service-error';
import { HttpProblem } from './problem';

const STATUS: Record<ServiceErrorCode, { status: number; title: string }> = {
  invalid_input: { status: 400, title: 'Bad Request' },
  unauthorized: { status: 401, title: 'Unauthorized' },
  forbidden: { status: 403, title: 'Forbidden' },
  not_found: { status: 404, title: 'Not Found' },
  conflict: { status: 409, title: 'Conflict' },
};

export const serviceErrors: ErrorRequestHandler = (err, _req, _res, next) => {
  if (!(err instanceof ServiceError)) return next(err);
  const { status, title } = STATUS[err.code];
  next(new HttpProblem({ title, status, detail: err.message, ...(err.errors.length > 0 ? { errors: err.errors } : {}) }));
};
