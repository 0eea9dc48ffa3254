// The org of the sync benchmark: the local test Salesforce as its own process (as npm start runs
// it), filled by its seeded generator, and a workspace connected to it the way the OAuth callback
// stores a connection (PKCE code exchange at its token endpoint, tokens encrypted at rest).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { startLocalSalesforce, type LocalSalesforceProcess } from '../../src/app/local-salesforce';
import type { SecretBox } from '../../src/platform/crypto';
import type { Db } from '../../src/platform/db/client';
import { salesforceConnections, type SalesforceConnection, type Workspace } from '../../src/platform/db/schema';
import type { SalesforceApp } from '../../src/salesforce/app';
import { tokenAad } from '../../src/salesforce/connection-store';
import { createWorkspace } from '../../src/workspaces/workspaces';

export const CLIENT = { clientId: 'bench-connected-app', clientSecret: 'bench-connected-app-secret' };
export const REDIRECT = 'http://127.0.0.1:3000/oauth/salesforce/callback';

export const generatedOrg = z.object({
  opportunities: z.number(),
  accounts: z.number(),
  contacts: z.number(),
  leads: z.number(),
  contactRoles: z.number(),
  opportunityHistory: z.number(),
  from: z.string(),
  to: z.string(),
});
export type GeneratedOrg = z.infer<typeof generatedOrg>;

const tokenReply = z.object({ access_token: z.string(), refresh_token: z.string(), instance_url: z.string() });

/** The double, without a state file (memory only) and with limits that never stop a benchmark. */
export function startBenchSalesforce(onStderrLine: (line: string) => void): Promise<LocalSalesforceProcess> {
  return startLocalSalesforce(
    [
      '--port=0',
      `--client-id=${CLIENT.clientId}`,
      `--client-secret=${CLIENT.clientSecret}`,
      `--redirect-uri=${REDIRECT}`,
      '--daily-api-limit=100000000',
      '--bulk-job-delay-ms=0',
    ],
    { onStderrLine, timeoutMs: 60_000 },
  );
}

export function benchApp(url: string): SalesforceApp {
  const origin = new URL(url).origin;
  return {
    ...CLIENT,
    redirectUri: REDIRECT,
    apiVersion: '62.0',
    requestTimeoutMs: 600_000,
    loginUrls: { production: origin, sandbox: origin },
    hostPolicy: { extraOrigins: [origin] },
  };
}

/** A workspace and its connection to the double, as the OAuth callback leaves them. */
export async function connectWorkspace(
  db: Db,
  secrets: SecretBox,
  fake: LocalSalesforceProcess,
): Promise<{ workspace: Workspace; connection: SalesforceConnection }> {
  const tokens = await authorize(fake);
  const workspace = await createWorkspace(db, { slug: 'bench-sync', timeZone: 'America/New_York' });
  const id = randomUUID();
  const [connection] = await db
    .insert(salesforceConnections)
    .values({
      id,
      workspaceId: workspace.id,
      status: 'connected',
      loginUrl: new URL(fake.url).origin,
      instanceUrl: tokens.instance_url,
      orgId: fake.orgId,
      userId: fake.userId,
      refreshTokenEnc: secrets.encrypt(tokens.refresh_token, tokenAad(id, 'refresh_token')),
      accessTokenEnc: secrets.encrypt(tokens.access_token, tokenAad(id, 'access_token')),
    })
    .returning();
  return { workspace, connection: connection! };
}

/** The web server flow with PKCE, Allow pressed through the double's control API. */
export async function authorize(
  fake: LocalSalesforceProcess,
  client: { clientId: string; clientSecret: string } = CLIENT,
): Promise<z.infer<typeof tokenReply>> {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const authorizeUrl = new URL('/services/oauth2/authorize', fake.url);
  for (const [k, v] of Object.entries({
    response_type: 'code',
    client_id: client.clientId,
    redirect_uri: REDIRECT,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    scope: 'api refresh_token id',
    state: 'bench',
  }))
    authorizeUrl.searchParams.set(k, v);
  const landed = new URL(
    z.string().parse(await fake.control('approveAuthorization', { authorizeUrl: authorizeUrl.toString() })),
  );
  const code = landed.searchParams.get('code');
  if (!code) throw new Error(`the double did not grant a code: ${landed.toString()}`);
  const res = await fetch(new URL('/services/oauth2/token', fake.url), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      client_id: client.clientId,
      client_secret: client.clientSecret,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
    }),
  });
  if (!res.ok) throw new Error(`the double's token endpoint answered ${res.status}: ${await res.text()}`);
  return tokenReply.parse(await res.json());
}
