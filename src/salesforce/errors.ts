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

/** The token endpoint failed for a passing reason: the connection stays connected. */
export const tokenUnavailable = (detail: string) =>
  new AppError(
    'salesforce_token_unavailable',
    `Salesforce's login service did not renew the session (${detail}). The org stays connected; the next run tries again.`,
    { details: { detail } },
  );

/** A refresh error that is the grant's own: expired or revoked, user or org inactive, consent withdrawn. */
export function isTerminalGrantError(err: unknown): boolean {
  return isAppError(err, 'salesforce_oauth') && TERMINAL_OAUTH_ERRORS.has(String(err.details.error));
}
const TERMINAL_OAUTH_ERRORS = new Set(['invalid_grant', 'inactive_user', 'inactive_org']);

/**
 * REQUEST_LIMIT_EXCEEDED means two things: the daily budget ("TotalRequests Limit exceeded.") or
 * too many concurrent long-running requests ("ConcurrentPerOrgLongTxn Limit exceeded.",
 * "ConcurrentRequests (Concurrent API Requests) Limit exceeded."), which passes in seconds.
 */
export function isConcurrencyLimit(err: unknown): boolean {
  return salesforceCode(err) === 'REQUEST_LIMIT_EXCEEDED' && /concurrent/i.test((err as Error | null)?.message ?? '');
}

export const concurrencyLimit = (message: string) =>
  new AppError(
    'salesforce_concurrency_limit',
    `The org has too many long-running requests at once (Salesforce: "${message.trim()}"); we backed off and retried, in vain this time. This is not the daily API budget: other integrations or reports are busy. The next run tries again.`,
  );

/** Salesforce refused, again, a session it had just renewed: API access or session settings. */
export const sessionRejected = () =>
  new AppError(
    'salesforce_session_rejected',
    'Salesforce rejected the session it had just renewed (INVALID_SESSION_ID twice). Check that the connected user still has "API Enabled", and that the connected app is not restricted by IP ranges or "Lock sessions to the IP address". The org stays connected; the next run tries again.',
  );

/** The error's Salesforce code: an OAuth `error`, a REST `errorCode`, or a network code. */
export function salesforceCode(err: unknown): string {
  if (isAppError(err, 'salesforce_oauth')) return String(err.details.error);
  const e = err as {
    errorCode?: string;
    name?: string;
    code?: string;
    type?: string;
    cause?: { code?: string };
  } | null;
  return (
    e?.errorCode ??
    (e?.name && e.name !== 'Error' && e.name !== 'TypeError' ? e.name : undefined) ??
    e?.code ??
    e?.cause?.code ??
    e?.type ??
    'UNKNOWN'
  );
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
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** 5xx, timeouts and dropped connections: worth retrying with backoff. */
export function isTransient(err: unknown): boolean {
  // Ours are decided already (a token refresh retries itself before it says "unavailable").
  if (isAppError(err)) return false;
  if (isConcurrencyLimit(err)) return true;
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
      'salesforce_token_unavailable',
      'salesforce_concurrency_limit',
      'salesforce_session_rejected',
      'salesforce_untrusted_host',
    )
  ) {
    return err.message;
  }
  if (isAppError(err, 'salesforce_oauth')) {
    return `Salesforce's login service refused our connected app (${String(err.details.error)}: ${err.message}). Check SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET against the connected app; the org stays connected.`;
  }
  if (isAppError(err, 'secret_undecryptable')) {
    return `A stored Salesforce token cannot be decrypted (${err.message}): restore the encryption key that wrote it in ENCRYPTION_KEYS, or reconnect the org.`;
  }
  const pg = pgError(err);
  if (pg) {
    return PASSING_SQLSTATE.test(pg.code ?? '')
      ? `The database was unavailable during the sync (SQLSTATE ${pg.code}); the next run resumes from the last page stored.`
      : `The database refused a write of the sync (SQLSTATE ${pg.code}: ${firstLine(pg.message)}); this will recur until it is fixed: tell your operator, with this message.`;
  }
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

/** Connection lost, rolled back by a conflict, out of resources, shut down: the next run resumes. */
const PASSING_SQLSTATE = /^(08|40|53|57)/;

const firstLine = (s: string) =>
  s
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .pop() ?? s;
