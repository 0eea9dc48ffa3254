// The one error of the service. An expected failure is an AppError: a code that says what kind
// of failure it is, a message that says what was wrong and what to do, the bad fields of an input,
// and (from the code) the HTTP status the API answers and whether retrying can help. The API maps
// it to problem+json in one place (src/api/problem.ts), the CLI prints its message, the job
// runner fails at once when retrying cannot help. Anything else is a bug: it crashes with a stack.
import type { z } from 'zod';

const CODES = {
  invalid_input: { status: 400, retryable: false },
  unauthorized: { status: 401, retryable: false },
  forbidden: { status: 403, retryable: false },
  not_found: { status: 404, retryable: false },
  conflict: { status: 409, retryable: false },
  payload_too_large: { status: 413, retryable: false },
  unsupported_media_type: { status: 415, retryable: false },
  rate_limited: { status: 429, retryable: true },
  /** A dependency is down or busy (the database, Redis, Salesforce): later may work. */
  unavailable: { status: 503, retryable: true },
  /** The service is set up wrongly (environment, keys): an operator must act. */
  misconfigured: { status: 500, retryable: false },
  /** A stored secret does not decrypt with the configured keys. */
  secret_undecryptable: { status: 500, retryable: false },
  /** Salesforce no longer accepts the stored authorization: an admin must reconnect. */
  salesforce_reauthorization_required: { status: 409, retryable: false },
  /** The org's daily API budget is (nearly) spent. */
  salesforce_api_budget: { status: 429, retryable: false },
  /** A URL we would send credentials to is not a Salesforce host. */
  salesforce_untrusted_host: { status: 400, retryable: false },
  /** Salesforce's token or revoke endpoint refused a request (details.error has its OAuth error). */
  salesforce_oauth: { status: 502, retryable: false },
  /** A reconciliation would delete too much at once to be a real deletion. */
  salesforce_suspicious_reconciliation: { status: 409, retryable: false },
  /** A Bulk API job is not finished yet; a later run picks it up. */
  salesforce_bulk_pending: { status: 503, retryable: true },
  /** Salesforce's token endpoint failed for a passing reason (5xx, a timeout, a concurrent refresh). */
  salesforce_token_unavailable: { status: 503, retryable: true },
  /** Too many concurrent long-running requests in the org (not the daily budget). */
  salesforce_concurrency_limit: { status: 503, retryable: true },
  /** Salesforce refused a session it had just issued (API access, IP or session settings). */
  salesforce_session_rejected: { status: 502, retryable: false },
} as const satisfies Record<string, { status: number; retryable: boolean }>;

export type ErrorCode = keyof typeof CODES;

/** One bad field of an input, named as a path a client can find ("conversations[3].startedAt"). */
export interface FieldError {
  field: string;
  message: string;
}

export interface AppErrorOptions {
  fields?: FieldError[];
  /** Facts a caller may act on (they are shown in problem+json as extension members). */
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class AppError extends Error {
  readonly fields: FieldError[];
  readonly details: Record<string, unknown>;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.fields = options.fields ?? [];
    this.details = options.details ?? {};
  }

  get status(): number {
    return CODES[this.code].status;
  }

  /** Whether trying the same thing again later can succeed (jobs fail at once when not). */
  get retryable(): boolean {
    return CODES[this.code].retryable;
  }
}

export function isAppError(err: unknown, ...codes: ErrorCode[]): err is AppError {
  return err instanceof AppError && (codes.length === 0 || codes.includes(err.code));
}

/** ["conversations", 3, "startedAt"] -> "conversations[3].startedAt". */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

/** A 400 naming every bad field; the message lists the first three. */
export function invalidInput(fields: FieldError[]): AppError {
  const n = fields.length;
  const shown = fields
    .slice(0, 3)
    .map((e) => `${e.field}: ${e.message}`)
    .join('; ');
  return new AppError('invalid_input', `${n} invalid field${n === 1 ? '' : 's'}: ${shown}${n > 3 ? '; …' : ''}`, {
    fields,
  });
}

/** Every issue of a failed zod parse as a field error; `root` names the input when the path is empty. */
export function fieldErrorsOf(error: z.ZodError, root = '(input)'): FieldError[] {
  return error.issues.map((i) => ({ field: fieldPath(i.path) || root, message: i.message }));
}

/** Parses with a zod schema; a failure is an `invalid_input` AppError naming every bad field. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, root = '(input)'): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw invalidInput(fieldErrorsOf(result.error, root));
}

export const notFound = (message: string) => new AppError('not_found', message);
export const conflict = (message: string) => new AppError('conflict', message);
export const forbidden = (message: string) => new AppError('forbidden', message);

/** A 400 about one field. */
export const invalidField = (field: string, message: string) =>
  new AppError('invalid_input', `${field}: ${message}`, { fields: [{ field, message }] });
