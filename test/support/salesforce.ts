// The local test Salesforce wired to the service the way production wires a real org.
import type { Config } from '../../src/platform/config';
import { createApiKey } from '../../src/access/api-keys';
import { createUser } from '../../src/access/users';
import type { Db } from '../../src/platform/db/client';
import type { SalesforceApp } from '../../src/salesforce/app';
import {
  startFakeSalesforceProcess,
  type FakeSalesforceProcessOptions,
  type RemoteFakeSalesforce,
} from './fake-salesforce';

export const FAKE_CLIENT = { clientId: 'test-connected-app', clientSecret: 'test-connected-app-secret' };

/** The local test Salesforce in its own process, as our test connected app's org. */
export async function startTestSalesforce(
  options: Partial<FakeSalesforceProcessOptions> = {},
): Promise<RemoteFakeSalesforce> {
  return startFakeSalesforceProcess({ ...FAKE_CLIENT, ...options });
}

/** Our connected app pointing at the fake: its URL is both login host and instance. */
export function appFor(fake: Pick<RemoteFakeSalesforce, 'url'>, serviceUrl: string, config?: Config): SalesforceApp {
  const origin = new URL(fake.url).origin;
  return {
    ...FAKE_CLIENT,
    redirectUri: `${serviceUrl}/oauth/salesforce/callback`,
    apiVersion: config?.salesforce.apiVersion ?? '62.0',
    requestTimeoutMs: 10_000,
    loginUrls: { production: origin, sandbox: origin },
    hostPolicy: { extraOrigins: [origin] },
  };
}

/** An admin API key for the workspace. */
export async function adminKey(db: Db, workspaceId: string): Promise<string> {
  return (await createApiKey(db, workspaceId, { name: 'test admin', scopes: ['admin'] })).key;
}

/**
 * Connects the workspace through the real routes, as its admin does: sign in to the web app, press
 * "Connect Salesforce" (POST /api/v1/salesforce/authorize), press Allow on the fake's consent page,
 * and land on our callback in the same browser (its session and flow cookies).
 */
export async function connectThroughOAuth(
  serviceUrl: string,
  db: Db,
  workspaceId: string,
  fake: Pick<RemoteFakeSalesforce, 'approveAuthorization'>,
): Promise<{ landed: Response; cookies: string }> {
  const email = `admin-${workspaceId.slice(0, 8)}@connect.example`;
  const password = 'correct horse battery staple';
  await createUser(db, workspaceId, { email, name: 'Admin', password });
  const signIn = await fetch(`${serviceUrl}/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-requested-with': 'fetch' },
    body: JSON.stringify({ email, password }),
  });
  if (signIn.status !== 200) throw new Error(`sign-in answered ${signIn.status}: ${await signIn.text()}`);
  const cookie = (res: Response, name: string) =>
    res.headers
      .getSetCookie()
      .find((c) => c.startsWith(`${name}=`))!
      .split(';')[0]!;
  const session = cookie(signIn, 'cra_session');
  const start = await fetch(`${serviceUrl}/api/v1/salesforce/authorize`, {
    method: 'POST',
    headers: { cookie: session, 'content-type': 'application/json', 'x-requested-with': 'fetch' },
    body: JSON.stringify({ environment: 'production' }),
  });
  if (start.status !== 200) throw new Error(`authorize answered ${start.status}: ${await start.text()}`);
  const cookies = `${session}; ${cookie(start, 'cra_sf_flow')}`;
  const { authorizeUrl } = (await start.json()) as { authorizeUrl: string };
  const callback = await fake.approveAuthorization(authorizeUrl);
  return { landed: await fetch(callback.toString(), { redirect: 'manual', headers: { cookie: cookies } }), cookies };
}
