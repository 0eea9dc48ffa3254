// Salesforce's OAuth token and revoke endpoints, called directly with a timeout: jsforce's OAuth2
// transport waits up to 30 minutes, and a refresh holds the org's refresh lock meanwhile.
import { oauthError } from './errors';

export interface TokenResponse {
  access_token?: string;
  refresh_token?: string;
  instance_url?: string;
  id?: string;
  scope?: string;
}

export async function postTokenRequest(
  loginUrl: string,
  params: Record<string, string>,
  timeoutMs: number,
): Promise<TokenResponse> {
  const res = await fetch(`${loginUrl}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(params),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let body: (TokenResponse & { error?: string; error_description?: string }) | null = null;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: described by the status below
  }
  if (!res.ok)
    throw oauthError(body?.error ?? `ERROR_HTTP_${res.status}`, body?.error_description ?? text.slice(0, 200));
  if (!body)
    throw oauthError('invalid_response', 'Salesforce answered the token request with something other than JSON');
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
