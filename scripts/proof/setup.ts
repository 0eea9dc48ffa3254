// What the worker proof runs on: one local test Salesforce with a generated small org, and N
// workspaces connected to it, each with its own consent (its own tokens) and the same chats, so
// every workspace's ledger must come out the same.
//
// The double serves one org per process, and a process costs ~1.4 CPU-seconds and 100 MB to
// start: sixty of them would be the whole proof. So the N connections share the one org, and the
// org id each stores is labelled `<orgId>/ws<i>` to pass the one-live-connection-per-org index
// (salesforce_connections_live_org). Nothing in a sync reads the org id; the proof is about the
// workers, and every connection is still a connection of its own to the worker.
import { randomUUID } from 'node:crypto';
import { LOCAL_CLIENT } from '../../src/app/salesforce';
import { startLocalSalesforce, type LocalSalesforceProcess } from '../../src/app/local-salesforce';
import { recordConversations, type NewConversation } from '../../src/history/record';
import type { SecretBox } from '../../src/platform/crypto';
import type { Db } from '../../src/platform/db/client';
import { salesforceConnections, teams } from '../../src/platform/db/schema';
import { withTransaction } from '../../src/platform/tx';
import { tokenAad } from '../../src/salesforce/connection-store';
import { createWorkspace } from '../../src/workspaces/workspaces';
import { Random } from '../bench/prng';
import { authorize, generatedOrg, REDIRECT, type GeneratedOrg } from '../bench/sync-org';

const TEAMS = ['sales', 'support'];
const DAY = 86_400_000;

export interface ProofWorkspace {
  workspaceId: string;
  connectionId: string;
  slug: string;
}

/** The double with the service's local connected app, limits that never stop the proof, and latency on every API call. */
export async function startProofSalesforce(
  opportunities: number,
  seed: number,
  latencyMs: number,
): Promise<{ fake: LocalSalesforceProcess; org: GeneratedOrg }> {
  const fake = await startLocalSalesforce(
    [
      '--port=0',
      `--client-id=${LOCAL_CLIENT.clientId}`,
      `--client-secret=${LOCAL_CLIENT.clientSecret}`,
      `--redirect-uri=${REDIRECT}`,
      '--daily-api-limit=100000000',
      '--concurrent-request-limit=10000',
      '--bulk-job-delay-ms=0',
    ],
    { timeoutMs: 60_000 },
  );
  try {
    const org = generatedOrg.parse(await fake.control('generateOrg', { opportunities, seed }));
    // A little latency on every call, so a run lasts long enough for a kill to land inside it.
    if (latencyMs > 0)
      await fake.control('injectFault', {
        match: { source: '/services/data/', flags: '' },
        delayMs: latencyMs,
        times: 100_000_000,
      });
    return { fake, org };
  } catch (err) {
    await fake.close();
    throw err;
  }
}

/** The same chats for every workspace: about one per opportunity, half of them a generated contact's. */
export function proofChats(org: GeneratedOrg, seed: number): NewConversation[] {
  const rng = new Random(seed);
  const from = Date.parse(org.from);
  const to = Date.parse(org.to);
  return Array.from({ length: org.opportunities }, (_, i) => ({
    id: `proof-conv-${i}`,
    teamId: rng.pick(TEAMS),
    agentId: `agent-${rng.int(5)}`,
    startedAt: new Date(from + rng.int(Math.max(1, to - from - DAY))),
    emails: [
      rng.chance(0.5)
        ? `contact-${rng.int(org.contacts)}@generated.example`
        : `visitor-${rng.int(100_000)}@visitor.example`,
    ],
  }));
}

/** Workspace i: its teams and chats, and a connection as the OAuth callback stores one. */
export async function connectProofWorkspace(
  db: Db,
  secrets: SecretBox,
  fake: LocalSalesforceProcess,
  i: number,
  chats: NewConversation[],
): Promise<ProofWorkspace> {
  const slug = `proof-${i}`;
  const workspace = await createWorkspace(db, { slug, timeZone: 'America/New_York' });
  await db.insert(teams).values(TEAMS.map((id) => ({ workspaceId: workspace.id, id, name: id })));
  await withTransaction(db, (tx) => recordConversations(tx, workspace.id, chats));
  const tokens = await authorize(fake, LOCAL_CLIENT);
  const id = randomUUID();
  await db.insert(salesforceConnections).values({
    id,
    workspaceId: workspace.id,
    status: 'connected',
    loginUrl: new URL(fake.url).origin,
    instanceUrl: tokens.instance_url,
    orgId: `${fake.orgId}/ws${i}`,
    userId: fake.userId,
    refreshTokenEnc: secrets.encrypt(tokens.refresh_token, tokenAad(id, 'refresh_token')),
    accessTokenEnc: secrets.encrypt(tokens.access_token, tokenAad(id, 'access_token')),
  });
  return { workspaceId: workspace.id, connectionId: id, slug };
}
