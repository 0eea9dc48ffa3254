// The local test Salesforce wired to the service the way production wires a real org.
import type { Config } from '../../src/platform/config';
import { createApiKey } from '../../src/access/api-keys';
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
 * Connects the workspace through the real routes: our authorize endpoint redirects to the fake's
 * consent page, "Allow" is pressed, and the browser's redirect lands on our callback.
 */
export async function connectThroughOAuth(
  serviceUrl: string,
  key: string,
  fake: Pick<RemoteFakeSalesforce, 'approveAuthorization'>,
): Promise<Response> {
  const start = await fetch(`${serviceUrl}/oauth/salesforce/authorize?environment=production`, {
    headers: { authorization: `Bearer ${key}` },
    redirect: 'manual',
  });
  if (start.status !== 302) throw new Error(`authorize answered ${start.status}: ${await start.text()}`);
  const callback = await fake.approveAuthorization(start.headers.get('location')!);
  return fetch(callback.toString(), { redirect: 'manual' });
}
