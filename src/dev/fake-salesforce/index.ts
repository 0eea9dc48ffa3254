// The local test Salesforce (a TEST DOUBLE, never the real thing): start one, drive its org, and
// make it misbehave on purpose. Production code never imports this; the sync only sees a login URL.
import type { Server } from 'node:http';
import { ApiUsage } from './api-usage';
import { approveAuthorization } from './consent-client';
import type { FakeContext } from './context';
import { Faults, type FaultHandle, type FaultSpec } from './faults';
import { fakeSalesforceOptions, type FakeSalesforceOptions } from './options';
import { FakeOrg } from './org';
import { setUpOrg } from './org-setup';
import { seedDemoOrg, type DemoSeed } from './seed-demo';
import { seedScenario, type ScenarioSeed } from './seed-scenario';
import { closeServer, createApp, listen } from './server';
import { Store } from './store';
import { TokenStore } from './tokens';

export type { FakeSalesforceOptions } from './options';
export type { FaultHandle, FaultSpec } from './faults';
export type { DemoSeed } from './seed-demo';
export type { ScenarioSeed, SeededChat } from './seed-scenario';
export type { FakeOrg, JsonRecord } from './org';
export { s256 } from './tokens';

export type FakeSalesforce = {
  /** Login URL and instance URL alike, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  /** The org's 18-character id (00D…) and its integration user's id (005…). */
  readonly orgId: string;
  readonly userId: string;
  /** The org's data: create/update/delete at any instant, query, convert a lead, add a stage. */
  readonly org: FakeOrg;
  /** The Salesforce id generated for a scenario record id, by any seedScenario call so far. */
  idFor(scenarioId: string): string | undefined;
  seedDemoOrg(): DemoSeed;
  seedScenario(scenarioFile: unknown): ScenarioSeed;
  /** Requests counted against DailyApiRequests so far; setApiUsage sets it (e.g. to the limit). */
  readonly apiUsage: number;
  setApiUsage(n: number): void;
  injectFault(spec: FaultSpec): FaultHandle;
  clearFaults(): void;
  /** Empties a record from the recycle bin: gone from queryAll, still reported by getDeleted. */
  hardDelete(objectType: string, id: string): void;
  revokeAllTokens(): void;
  expireAccessTokens(): void;
  /** Opens an authorize URL and presses Allow (or Deny) like a person; where the browser is sent next. */
  approveAuthorization(authorizeUrl: string, decision?: 'allow' | 'deny'): Promise<URL>;
  close(): Promise<void>;
};

export async function startFakeSalesforce(input: FakeSalesforceOptions): Promise<FakeSalesforce> {
  const options = fakeSalesforceOptions.parse(input);
  const now = () => (options.clock ? options.clock().getTime() : Date.now());
  const store = new Store(options.multiCurrency);
  setUpOrg(store, now());
  let url = '';
  const ctx: FakeContext = {
    options, store, now,
    tokens: new TokenStore(store.orgId, now, { rotateRefreshTokens: options.rotateRefreshTokens, accessTokenTtlMs: options.accessTokenTtlMs }),
    usage: new ApiUsage(options.dailyApiLimit),
    faults: new Faults(),
    baseUrl: () => url,
  };
  const started: { server: Server; url: string } = await listen(createApp(ctx), options.port, options.host);
  url = started.url;
  const org = new FakeOrg(store, now);
  const scenarioIds = new Map<string, string>();

  return {
    url, org,
    orgId: store.orgId,
    userId: store.userId,
    idFor: (scenarioId) => scenarioIds.get(scenarioId),
    seedDemoOrg: () => seedDemoOrg(org, now()),
    seedScenario: (file) => {
      const seed = seedScenario(store, file);
      for (const [k, v] of seed.ids) scenarioIds.set(k, v);
      return seed;
    },
    get apiUsage() { return ctx.usage.used; },
    setApiUsage: (n) => { ctx.usage.used = n; },
    injectFault: (spec) => ctx.faults.add(spec),
    clearFaults: () => ctx.faults.clear(),
    hardDelete: (objectType, id) => org.hardDelete(objectType, id),
    revokeAllTokens: () => ctx.tokens.revokeAll(),
    expireAccessTokens: () => ctx.tokens.expireAccessTokens(),
    approveAuthorization: (authorizeUrl, decision) => approveAuthorization(authorizeUrl, decision),
    close: () => closeServer(started.server),
  };
}
