// One org's REST API, through jsforce: explicit API version, our own paging (never autoFetch),
// retries with exponential backoff and jitter for 5xx and timeouts, the daily API budget checked
// before every call, and INVALID_SESSION_ID answered by one refresh, then a retry.
import { Connection } from 'jsforce';
import type { Logger } from '../platform/logger';
import type { SalesforceApp } from './app';
import { isAppError } from '../platform/errors';
import { retry } from '../platform/retry';
import { apiBudgetExhausted, isTransient, reauthorizationRequired, salesforceCode } from './errors';
import { untrustedHost } from './hosts';
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
}

export class SalesforceApi {
  private readonly conn: Connection;
  private token: AccessToken;
  private refreshed = false;
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
    return this.get<QueryPage<T>>(
      `/services/data/v${this.options.app.apiVersion}/${all ? 'queryAll' : 'query'}?q=${encodeURIComponent(soql)}`,
    );
  }

  nextPage<T>(nextRecordsUrl: string): Promise<QueryPage<T>> {
    return this.get<QueryPage<T>>(nextRecordsUrl);
  }

  /** A raw GET (Bulk API 2.0 results are CSV with paging headers jsforce does not expose). */
  async getRaw(path: string, accept: string): Promise<{ body: string; headers: Headers }> {
    return this.call(async () => {
      let res = await this.fetchRaw(path, accept);
      if (res.status === 401) {
        await this.refreshOnce();
        res = await this.fetchRaw(path, accept);
      }
      this.noteUsage(res.headers.get('sforce-limit-info'));
      const body = await res.text();
      if (res.status >= 400) throw restError(res.status, body);
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

  /** The failure as what it means for the sync: the budget spent, a lost authorization, or itself. */
  private meaningOf(err: unknown): unknown {
    if (salesforceCode(err) === 'REQUEST_LIMIT_EXCEEDED') {
      return apiBudgetExhausted(this.usage?.used ?? 0, this.usage?.max ?? 0, 'limit_exceeded');
    }
    if (isAppError(err, 'salesforce_reauthorization_required')) return err;
    // jsforce wraps a failed refreshFn in this message; ours threw the reason.
    const cause = /Unable to refresh session due to: (.*)/s.exec((err as Error).message ?? '');
    return cause ? reauthorizationRequired(cause[1]!.trim()) : err;
  }

  /** INVALID_SESSION_ID is answered by one refresh per client; a second means something else is wrong. */
  private async refreshOnce(): Promise<AccessToken> {
    if (this.refreshed) {
      throw reauthorizationRequired('Salesforce rejected the session again right after a refresh (INVALID_SESSION_ID)');
    }
    this.refreshed = true;
    this.token = await this.options.refresh(this.token.tokenVersion);
    this.conn.accessToken = this.token.accessToken;
    this.conn.instanceUrl = this.token.instanceUrl;
    return this.token;
  }

  private fetchRaw(path: string, accept: string): Promise<Response> {
    return fetch(this.url(path), {
      headers: { authorization: `Bearer ${this.token.accessToken}`, accept },
      signal: AbortSignal.timeout(this.options.app.requestTimeoutMs),
    });
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
  return Object.assign(new Error(message), { errorCode: code, name: code });
}

const redactQuery = (path: string) => path.replace(/\?q=.*/, '?q=…');
