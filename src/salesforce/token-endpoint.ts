// Salesforce's OAuth token and revoke endpoints, called directly with a timeout: jsforce's OAuth2
// transport waits up to 30 minutes, and a refresh holds the org's refresh lock meanwhile. Every
// failure is classified here, before jsforce or anyone else sees it: only a terminal grant error
// means an admin must reconnect; an outage, an HTML page or a concurrent refresh is passing.
import { oauthError, tokenUnavailable } from './errors';

export interface TokenResponse {
  access_token?: string;
  refresh_token?: string;
  instance_url?: string;
  id?: string;
  scope?: string;
  issued_at?: string;
  signature?: string;
}

/**
 * invalid_grant descriptions that are not about the grant: Salesforce answers a refresh that
 * arrives while another of the same token is in flight with this one (release notes,
 * "Simultaneous Token Requests Are Blocked During the Refresh Token Flow", Summer '24).
 */
const PASSING_GRANT_ERRORS = [/token request is already being processed/i];
/** OAuth errors that pass by themselves: too many logins in an hour (Salesforce help, OAuth errors). */
const PASSING_ERRORS = new Set(['rate_limit_exceeded', 'server_error', 'temporarily_unavailable']);

export async function postTokenRequest(
  loginUrl: string,
  params: Record<string, string>,
  timeoutMs: number,
): Promise<TokenResponse> {
  let res: Response;
  let text: string;
  try {
    res = await fetch(`${loginUrl}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(params),
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await res.text();
  } catch (err) {
    throw tokenUnavailable(networkFailure(err));
  }
  let body: (TokenResponse & { error?: string; error_description?: string }) | null = null;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: a maintenance page or a proxy's error, described by its status below
  }
  if (res.status >= 500 || res.status === 429) throw tokenUnavailable(`HTTP ${res.status}${describeBody(text, body)}`);
  if (!res.ok) {
    if (!body?.error) throw tokenUnavailable(`HTTP ${res.status}${describeBody(text, body)}`);
    const description = body.error_description ?? '';
    if (
      PASSING_ERRORS.has(body.error) ||
      (body.error === 'invalid_grant' && PASSING_GRANT_ERRORS.some((p) => p.test(description)))
    ) {
      throw tokenUnavailable(`${body.error}: ${description}`);
    }
    throw oauthError(body.error, description || body.error);
  }
  if (!body || typeof body !== 'object') throw tokenUnavailable(`HTTP ${res.status}${describeBody(text, body)}`);
  return body;
}

export async function revokeToken(loginUrl: string, token: string, timeoutMs: number): Promise<void> {
  const res = await fetch(`${loginUrl}/services/oauth2/revoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!res.ok) throw oauthError(`ERROR_HTTP_${res.status}`, (await res.text()).slice(0, 200));
}

function describeBody(text: string, body: unknown): string {
  if (body !== null) return '';
  if (/^\s*</.test(text)) return ' with an HTML page instead of JSON';
  return text.trim() === '' ? ' with an empty body' : ' with a body that is not JSON';
}

function networkFailure(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'no answer in time';
  return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(err);
}
