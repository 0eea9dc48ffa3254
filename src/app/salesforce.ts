// Our Salesforce connected app for this process: the real one from SALESFORCE_CLIENT_ID/SECRET,
// or, in development with none configured, the local test Salesforce (tools/fake-salesforce, a
// test double run as a child process) with a demo org. The sync cannot tell the difference: only
// the login URL differs.
import path from 'node:path';
import { z } from 'zod';
import type { Config } from '../platform/config';
import type { Logger } from '../platform/logger';
import type { SalesforceApp } from '../salesforce/app';
import { LOGIN_URLS } from '../salesforce/hosts';
import { startLocalSalesforce } from './local-salesforce';
export type RuntimeRole = 'all' | 'api' | 'worker' | 'cli';

/** A chat of the demo org, to push to the chat side (as the local test Salesforce's demoChats gives them). */
const demoChat = z.object({
  id: z.string(),
  at: z.string(),
  teamId: z.string(),
  agentId: z.string().nullable(),
  emails: z.array(z.string()),
});
export type DemoChat = z.infer<typeof demoChat>;

export interface SalesforceRuntime {
  app: SalesforceApp | null;
  /** The local test Salesforce, when this process serves it. */
  local: { url: string; demoChats: DemoChat[]; close(): Promise<void> } | null;
}

export const LOCAL_CLIENT = { clientId: 'local-test-salesforce-app', clientSecret: 'local-test-salesforce-secret' };

export async function openSalesforce(config: Config, logger: Logger, role: RuntimeRole): Promise<SalesforceRuntime> {
  const s = config.salesforce;
  const base = {
    redirectUri: `${config.publicUrl}/oauth/salesforce/callback`,
    apiVersion: s.apiVersion,
    requestTimeoutMs: s.requestTimeoutMs,
  };
  if (s.clientId && s.clientSecret) {
    return {
      app: {
        ...base,
        clientId: s.clientId,
        clientSecret: s.clientSecret,
        loginUrls: { ...LOGIN_URLS },
        hostPolicy: { extraOrigins: [] },
      },
      local: null,
    };
  }
  if (!s.local) {
    logger.warn('no Salesforce connected app is configured (SALESFORCE_CLIENT_ID): connecting orgs is unavailable');
    return { app: null, local: null };
  }
  if (role !== 'all') {
    // Another process (npm start) serves it; this one only talks to it.
    return { app: localApp(config), local: null };
  }
  const fake = await startLocalSalesforce(
    [
      '--port',
      String(s.localPort),
      '--state-file',
      path.resolve(config.dataDir, 'local-salesforce.json'),
      '--demo',
      '--client-id',
      LOCAL_CLIENT.clientId,
      '--client-secret',
      LOCAL_CLIENT.clientSecret,
      '--redirect-uri',
      base.redirectUri,
    ],
    { onStderrLine: (line) => logger.debug({ from: 'local-salesforce' }, line) },
  );
  try {
    const demoChats = z.array(demoChat).parse(await fake.control('demoChats'));
    logger.info(
      { url: fake.url, orgId: fake.orgId },
      'no Salesforce connected app configured: serving the local test Salesforce (a test double) with a demo org',
    );
    return { app: localApp(config), local: { url: fake.url, demoChats, close: () => fake.close() } };
  } catch (err) {
    await fake.close();
    throw err;
  }
}

/** The local test Salesforce as a connected app: its login host is its instance, on LOCAL_SALESFORCE_PORT. */
function localApp(config: Config): SalesforceApp {
  const origin = `http://127.0.0.1:${config.salesforce.localPort}`;
  return {
    ...LOCAL_CLIENT,
    redirectUri: `${config.publicUrl}/oauth/salesforce/callback`,
    apiVersion: config.salesforce.apiVersion,
    requestTimeoutMs: config.salesforce.requestTimeoutMs,
    loginUrls: { production: origin, sandbox: origin },
    hostPolicy: { extraOrigins: [origin] },
  };
}
