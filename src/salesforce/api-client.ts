// One org's REST API, through jsforce: explicit API version, our own paging (never autoFetch),
// retries with exponential backoff and jitter for 5xx, timeouts and concurrency limits, the daily
// API budget checked before every call, and INVALID_SESSION_ID answered by one refresh, then a
// retry. Query pages are read as text and parsed keeping numbers exact (parseJsonExact).
import { Connection } from 'jsforce';
import type { Logger } from '../platform/logger';
import type { SalesforceApp } from './app';
import { isAppError } from '../platform/errors';
import { retry } from '../platform/retry';
import {
  apiBudgetExhausted,
  concurrencyLimit,
  isConcurrencyLimit,
  isTransient,
  salesforceCode,
  sessionRejected,
} from './errors';
import { parseJsonExact } from './exact-numbers';
import { untrustedHost } from './hosts';
import { serverTimeOf } from './sync-window';
import type { AccessToken } from './tokens';

export interface ApiUsage {
  used: number;
  max: number;
}

export interface ApiClientOptions {
  app: SalesforceApp;
  token: AccessToken;
  /** Refreshes the access token (at most once per client); receives the version it found stale. */
  refresh: (staleVersion: number) => Promise<AccessToken>;
  budgetPercent: number;
  logger: Logger;
  maxAttempts?: number;
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface QueryPage<T> {
  records: T[];
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  /** Salesforce's clock when it answered (the Date header); null when it sent none we can read. */
  serverTime: Date | null;
}

export class SalesforceApi {
  private readonly conn: Connection;
  private token: AccessToken;
  private refreshed = false;
  /** The classified failure of our last refresh: jsforce hides it behind one message of its own. */
  private refreshError: unknown = null;
  private usage: ApiUsage | null = null;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: ApiClientOptions) {
    this.token = options.token;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.baseDelayMs = options.baseDelayMs ?? 1000;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.conn = new Connection({
      instanceUrl: this.token.instanceUrl,
      accessToken: this.token.accessToken,
      version: options.app.apiVersion,
      refreshFn: (_conn, callback) => {
        this.refreshOnce().then(
          (t) => callback(null, t.accessToken),
          (err: Error) => callback(err),
        );
      },
    });
  }

  /** The last API usage Salesforce reported (Sforce-Limit-Info). */
  get apiUsage(): ApiUsage | null {
    return this.usage;
  }

  get instanceUrl(): string {
    return this.token.instanceUrl;
  }

  get apiVersion(): string {
    return this.options.app.apiVersion;
  }

  async get<T>(path: string): Promise<T> {
    return this.call(() => this.conn.request<T>({ method: 'GET', url: this.url(path) }, this.requestOptions()), path);
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    return this.call(
      () =>
        this.conn.request<T>(
          {
            method: 'POST',
            url: this.url(path),
            body: JSON.stringify(body),
            headers: { 'content-type': 'application/json' },
          },
          this.requestOptions(),
        ),
      path,
    );
  }

  /** The first page of a SOQL query; `all` includes deleted and archived rows (queryAll). */
  queryPage<T>(soql: string, all: boolean): Promise<QueryPage<T>> {
    return this.getPage<T>(
      `/services/data/v${this.options.app.apiVersion}/${all ? 'queryAll' : 'query'}?q=${encodeURIComponent(soql)}`,
    );
  }

  nextPage<T>(nextRecordsUrl: string): Promise<QueryPage<T>> {
    return this.getPage<T>(nextRecordsUrl);
  }

  /** A GET whose JSON keeps every number as its text (amounts never pass through a float). */
  async getExact<T>(path: string): Promise<T> {
    const { body } = await this.getRaw(path, 'application/json');
    return parseJsonExact(body) as T;
  }

  private async getPage<T>(path: string): Promise<QueryPage<T>> {
    const { body, headers } = await this.getRaw(path, 'application/json');
    const page = parseJsonExact(body) as Omit<QueryPage<T>, 'serverTime'> & { totalSize: string | number };
    return { ...page, totalSize: Number(page.totalSize), serverTime: serverTimeOf(headers) };
  }

  /**
   * A raw GET (Bulk API 2.0 results are CSV with paging headers jsforce does not expose; query
   * pages are JSON read exactly). Bodies Salesforce compresses (gzip) arrive decompressed.
   */
  async getRaw(path: string, accept: string): Promise<{ body: string; headers: Headers }> {
    return this.call(async () => {
      let res = await this.fetchRaw(path, accept);
      // INVALID_SESSION_ID: one refresh, then the same request; a second refusal is sessionRejected.
      for (let tries = 0; res.status === 401 && tries < 2; tries++) {
        await res.body?.cancel();
        await this.refreshOnce();
        res = await this.fetchRaw(path, accept);
      }
      this.noteUsage(res.headers.get('sforce-limit-info'));
      const body = await res.text();
      if (res.status >= 400) throw restError(res.status, body);
      this.refreshed = false;
      return { body, headers: res.headers };
    }, path);
  }

  /** Throws when the org's daily usage is past the budget, before another call is spent. */
  ensureBudget(): void {
    const u = this.usage;
    if (u && u.max > 0 && (u.used / u.max) * 100 >= this.options.budgetPercent) {
      throw apiBudgetExhausted(u.used, u.max, 'threshold');
    }
  }

  private async call<T>(send: () => Promise<T>, path: string): Promise<T> {
    this.ensureBudget();
    try {
      return await this.withRetries(send, path);
    } catch (err) {
      throw isConcurrencyLimit(err) ? concurrencyLimit((err as Error).message) : err;
    }
  }

  private withRetries<T>(send: () => Promise<T>, path: string): Promise<T> {
    return retry(
      async () => {
        try {
          const result = await send();
          this.readUsage();
          this.refreshed = false; // "refresh once" is per request: a long sync may outlive a session
          return result;
        } catch (err) {
          this.readUsage();
          throw this.meaningOf(err);
        }
      },
      {
        attempts: this.maxAttempts,
        baseMs: this.baseDelayMs,
        retryable: isTransient,
        sleep: this.sleep,
        onRetry: (err, attempt, delayMs) =>
          this.options.logger.warn(
            { path: redactQuery(path), code: salesforceCode(err), attempt, delayMs },
            'Salesforce request failed; retrying',
          ),
      },
    );
  }

  /** The failure as what it means for the sync: the budget spent, a refresh's own failure, or itself. */
  private meaningOf(err: unknown): unknown {
    if (salesforceCode(err) === 'REQUEST_LIMIT_EXCEEDED' && !isConcurrencyLimit(err)) {
      return apiBudgetExhausted(this.usage?.used ?? 0, this.usage?.max ?? 0, 'limit_exceeded');
    }
    if (isAppError(err)) return err;
    // jsforce wraps a failed refreshFn in one message for every cause; ours was classified already.
    if (/Unable to refresh session due to:/.test((err as Error | null)?.message ?? '') && this.refreshError) {
      return this.refreshError;
    }
    return err;
  }

  /** INVALID_SESSION_ID is answered by one refresh per client; a second means something else is wrong. */
  private async refreshOnce(): Promise<AccessToken> {
    if (this.refreshed) {
      this.refreshError = sessionRejected();
      throw this.refreshError;
    }
    this.refreshed = true;
    try {
      this.token = await this.options.refresh(this.token.tokenVersion);
    } catch (err) {
      this.refreshError = err;
      // A refresh that failed for a passing reason may be tried again by a later request.
      if (isAppError(err, 'salesforce_token_unavailable')) this.refreshed = false;
      throw err;
    }
    this.refreshError = null;
    this.conn.accessToken = this.token.accessToken;
    this.conn.instanceUrl = this.token.instanceUrl;
    return this.token;
  }

  private async fetchRaw(path: string, accept: string): Promise<Response> {
    try {
      return await fetch(this.url(path), {
        headers: { authorization: `Bearer ${this.token.accessToken}`, accept, 'accept-encoding': 'gzip' },
        signal: AbortSignal.timeout(this.options.app.requestTimeoutMs),
      });
    } catch (err) {
      if (isAppError(err)) throw err;
      // fetch says "fetch failed" for every network error: name the cause (ECONNRESET, a timeout).
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const name = (err as Error).name;
      throw Object.assign(new Error(`${(err as Error).message}${cause ? `: ${cause.code ?? cause.message}` : ''}`), {
        errorCode: name === 'TimeoutError' || name === 'AbortError' ? 'TimeoutError' : (cause?.code ?? 'FetchError'),
      });
    }
  }

  private readUsage(): void {
    const u = (this.conn as unknown as { limitInfo?: { apiUsage?: { used: number; limit: number } } }).limitInfo
      ?.apiUsage;
    if (u) this.usage = { used: u.used, max: u.limit };
  }

  private noteUsage(header: string | null): void {
    const m = header ? /api-usage=(\d+)\/(\d+)/.exec(header) : null;
    if (m) this.usage = { used: Number(m[1]), max: Number(m[2]) };
  }

  private requestOptions() {
    // jsforce's own retries have no jitter and would multiply ours: off.
    return { retry: { maxRetries: 0 }, timeout: this.options.app.requestTimeoutMs } as never;
  }

  /**
   * Only our org's instance gets the bearer token: paths from responses (nextRecordsUrl) are
   * followed as paths, and an absolute URL must be on the instance itself.
   */
  private url(path: string): string {
    if (path.startsWith('/services/')) return `${this.token.instanceUrl}${path}`;
    let origin: string | null = null;
    try {
      origin = new URL(path).origin;
    } catch {
      // not an absolute URL either
    }
    if (origin !== null && origin === new URL(this.token.instanceUrl).origin) return path;
    throw untrustedHost(path);
  }
}

function restError(status: number, body: string): Error {
  let code = `ERROR_HTTP_${status}`;
  let message = body;
  try {
    const parsed = JSON.parse(body) as
      { errorCode?: string; message?: string }[] | { errorCode?: string; message?: string };
    const first = Array.isArray(parsed) ? parsed[0] : parsed;
    if (first?.errorCode) code = first.errorCode;
    if (first?.message) message = first.message;
  } catch {
    // not JSON: keep the HTTP status as the code
  }
  return Object.assign(new Error(message), { errorCode: code, name: code, statusCode: status });
}

const redactQuery = (path: string) => path.replace(/\?q=.*/, '?q=…');
