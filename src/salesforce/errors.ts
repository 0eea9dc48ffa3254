// What can go wrong talking to Salesforce, as AppErrors with words a RevOps admin understands.
import { pgError } from '../platform/db/sql';
import { AppError, isAppError } from '../platform/errors';

/** Salesforce no longer accepts the stored authorization (invalid_grant): an admin must reconnect. */
export const reauthorizationRequired = (detail: string) =>
  new AppError(
    'salesforce_reauthorization_required',
    `Salesforce refused the saved authorization (${detail}). Reconnect the org from the Salesforce page; syncing is paused until then.`,
  );

/** The org's daily API budget is (nearly) spent: stop cleanly and resume on a later run. */
export function apiBudgetExhausted(used: number, max: number, reason: 'threshold' | 'limit_exceeded'): AppError {
  const n = (v: number) => v.toLocaleString('en-US');
  return new AppError(
    'salesforce_api_budget',
    reason === 'limit_exceeded'
      ? `The org has used its daily API requests (${n(used)} of ${n(max)}); Salesforce answered REQUEST_LIMIT_EXCEEDED. Syncing resumes on a later run, once the 24-hour window frees requests.`
      : `Syncing paused to spare the org's daily API requests: ${n(used)} of ${n(max)} used (over the configured threshold). It resumes on a later run.`,
    { details: { used, max, reason } },
  );
}

/** A reconciliation that would delete too much at once: more likely lost visibility than deletions. */
export const suspiciousReconciliation = (object: string, gone: number, live: number) =>
  new AppError(
    'salesforce_suspicious_reconciliation',
    `${object}: ${gone.toLocaleString('en-US')} of ${live.toLocaleString('en-US')} records we hold are no longer visible to the connected user. ` +
      "Nothing was deleted: check that user's sharing and permissions; if the records really were deleted, run `npm run cli -- salesforce:reconcile`.",
  );

/** An error of Salesforce's OAuth endpoints: `error` is its OAuth error (`invalid_grant`, ...). */
export const oauthError = (error: string, description: string) =>
  new AppError('salesforce_oauth', description, { details: { error } });

/** The error's Salesforce code: an OAuth `error`, a REST `errorCode`, or a network code. */
export function salesforceCode(err: unknown): string {
  if (isAppError(err, 'salesforce_oauth')) return String(err.details.error);
  const e = err as { errorCode?: string; name?: string; code?: string; type?: string } | null;
  return e?.errorCode ?? (e?.name && e.name !== 'Error' ? e.name : undefined) ?? e?.code ?? e?.type ?? 'UNKNOWN';
}

const TRANSIENT_CODES = new Set([
  'SERVER_UNAVAILABLE',
  'UNKNOWN_EXCEPTION',
  'QUERY_TIMEOUT',
  'REQUEST_RUNNING_TOO_LONG',
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'AbortError',
  'TimeoutError',
  'FetchError',
  'request-timeout',
]);

/** 5xx, timeouts and dropped connections: worth retrying with backoff. */
export function isTransient(err: unknown): boolean {
  const code = salesforceCode(err);
  if (/^ERROR_HTTP_5\d\d$/.test(code) || TRANSIENT_CODES.has(code)) return true;
  const message = (err as Error | null)?.message ?? '';
  return /timeout|socket hang up|ECONNRESET|network/i.test(message);
}

/** One sentence for the status page. */
export function describeSalesforceError(err: unknown): string {
  if (
    isAppError(
      err,
      'salesforce_reauthorization_required',
      'salesforce_api_budget',
      'salesforce_suspicious_reconciliation',
      'salesforce_bulk_pending',
    )
  ) {
    return err.message;
  }
  if (isAppError(err, 'secret_undecryptable')) {
    return `A stored Salesforce token cannot be decrypted (${err.message}): restore the encryption key that wrote it in ENCRYPTION_KEYS, or reconnect the org.`;
  }
  if (pgError(err)) return 'A database error interrupted the sync; the next run resumes where it stopped.';
  const code = salesforceCode(err);
  const message = (err as Error | null)?.message ?? String(err);
  switch (code) {
    case 'INVALID_FIELD':
      return `Salesforce refused a field we read (${firstLine(message)}). Give the connected user read access to it (field-level security), then sync again.`;
    case 'INVALID_TYPE':
      return `Salesforce refused an object we read (${firstLine(message)}). Give the connected user read access to it, then sync again.`;
    case 'INSUFFICIENT_ACCESS':
    case 'API_DISABLED_FOR_ORG':
    case 'API_CURRENTLY_DISABLED':
      return `Salesforce refused API access (${code}): the connected user needs the "API Enabled" permission.`;
    default:
      return isTransient(err)
        ? `Salesforce did not answer in time or was unavailable (${code}) after several tries; the next run tries again.`
        : `Salesforce answered ${code}: ${firstLine(message)}`;
  }
}

const firstLine = (s: string) =>
  s
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .pop() ?? s;
