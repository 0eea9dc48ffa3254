// The local test Salesforce (a TEST DOUBLE, never the real thing): start one, drive its org, and
// make it misbehave on purpose. Production code never imports this; the sync only sees a login URL.
import type { Server } from 'node:http';
import { ApiUsage } from './api-usage';
import { approveAuthorization } from './consent-client';
import type { Behaviour, FakeContext } from './context';
import { controlRouter } from './control';
import { Faults, type FaultHandle, type FaultSpec } from './faults';
import { fakeSalesforceOptions, type FakeSalesforceOptions } from './options';
import { FakeOrg } from './org';
import { addStandardLeadStatuses, ensureFieldDefinitions, holdsOnlySetup, setUpOrg } from './org-setup';
import { objectNamed } from './writes';
import { StateLog, loadStateFile } from './persistence';
import { seedDemoOrg, type DemoSeed } from './seed-demo';
import { seedScenario, type ScenarioSeed, type SeededChat } from './seed-scenario';
import {
  changeGeneratedOpportunities,
  seedGeneratedOrg,
  type GeneratedOrg,
  type GeneratedOrgSpec,
} from './seed-generated';
import { closeServer, createApp, listen } from './server';
import { Store, type StoreChange } from './store';
import { TokenStore } from './tokens';

export type { FakeSalesforceOptions } from './options';
export { StateFileError } from './persistence';
export type { FaultHandle, FaultSpec } from './faults';
export type { DemoSeed } from './seed-demo';
export type { ScenarioSeed, SeededChat } from './seed-scenario';
export type { GeneratedOrg, GeneratedOrgSpec } from './seed-generated';
export { generatedContactEmail } from './seed-generated';
export type { FakeOrg, JsonRecord } from './org';
export type { ControlArgs, ControlCall, ControlCommand, ControlResult } from './control';
export { s256 } from './tokens';

export type FakeSalesforce = {
  /** Login URL and instance URL alike, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  /** The org's 18-character id (00D…) and its integration user's id (005…). */
  readonly orgId: string;
  readonly userId: string;
  /** True when the org came from the state file rather than being created by this start. */
  readonly restored: boolean;
  /** The org's data: create/update/delete at any instant, query, convert a lead, add a stage. */
  readonly org: FakeOrg;
  /**
   * True while the org holds nothing but what every new org has (its user, the stages, currencies):
   * a new org, or one restored from a state file before anything was written to it. Seed only then:
   * `if (fake.isEmpty) fake.seedDemoOrg()`.
   */
  readonly isEmpty: boolean;
  /** The Salesforce id generated for a scenario record id, by any seedScenario call so far. */
  idFor(scenarioId: string): string | undefined;
  /** Fills the org with the demo data, relative to the clock; once per org (a second call throws). */
  seedDemoOrg(): DemoSeed;
  /** The chats seedDemoOrg returned, the same after a restart from the state file; [] if never seeded. */
  demoChats(): SeededChat[];
  seedScenario(scenarioFile: unknown): ScenarioSeed;
  /**
   * Fills an empty org with a generated one of this many opportunities (about ten history rows
   * each, accounts, contacts, roles, leads) from a seed, fast: for benchmarks.
   */
  generateOrg(spec: GeneratedOrgSpec): GeneratedOrg;
  /** Changes this many opportunities now (drawn from the seed), one history row each; how many. */
  changeOpportunities(count: number, seed: number): number;
  /** Requests counted against DailyApiRequests so far; setApiUsage sets it (e.g. to the limit). */
  readonly apiUsage: number;
  setApiUsage(n: number): void;
  injectFault(spec: FaultSpec): FaultHandle;
  clearFaults(): void;
  /** Empties a record from the recycle bin: gone from queryAll, still reported by getDeleted. */
  hardDelete(objectType: string, id: string): void;
  revokeAllTokens(): void;
  /**
   * Bulk API query jobs of this object end Failed (or Aborted) with this errorMessage, as a job
   * Salesforce retried more than 15 times does; null stops it for every object.
   */
  failBulkJobs(object: string | null, state?: 'Failed' | 'Aborted', errorMessage?: string): void;
  /** Field-level security hides the field from the connected user (or shows it again). */
  hideField(object: string, field: string, hidden?: boolean): void;
  /** The connected user loses (or gets back) "API Enabled": REST answers API_CURRENTLY_DISABLED. */
  setApiAccess(enabled: boolean): void;
  /** The connected user is deactivated: its sessions end and a refresh is invalid_grant. */
  deactivateUser(): void;
  expireAccessTokens(): void;
  /**
   * Stops the org's clock at `now` (replacing the clock option) until it is set again; null lets
   * it run with the real time. Moves "now" for writes, token lifetimes, API usage and getDeleted.
   */
  setClock(now: Date | string | null): void;
  /** Opens an authorize URL and presses Allow (or Deny) like a person; where the browser is sent next. */
  approveAuthorization(authorizeUrl: string, decision?: 'allow' | 'deny'): Promise<URL>;
  /** Stops the server; with a state file, then writes it a last time (later changes are not saved). */
  close(): Promise<void>;
};

export async function startFakeSalesforce(input: FakeSalesforceOptions): Promise<FakeSalesforce> {
  const options = fakeSalesforceOptions.parse(input);
  let clock = options.clock ?? null;
  const now = () => (clock ? clock().getTime() : Date.now());
  let writer: StateLog | null = null;
  // Changes made at start before the log is open (records a restored org gets added): logged once it is.
  const early: StoreChange[] = [];

  const store = new Store(options.multiCurrency, {
    orgId: options.orgId,
    onChange: (change) => (writer ? writer.record(change) : early.push(change)),
    fieldHistory: options.fieldHistory,
  });
  const saved = options.stateFile ? loadStateFile(options.stateFile, store, options.orgId) : null;
  if (saved) {
    ensureFieldDefinitions(store, now());
    // An org saved before the double knew LeadStatus gets the standard picklist, as every org has one.
    addStandardLeadStatuses(store, now());
  } else setUpOrg(store, now());
  const tokens = new TokenStore(
    store.orgId,
    now,
    { rotateRefreshTokens: options.rotateRefreshTokens, accessTokenTtlMs: options.accessTokenTtlMs },
    () => writer?.touched('tokens'),
  );
  const usage = new ApiUsage(options.dailyApiLimit, now, () => writer?.touched('apiUsage'));
  let demo: DemoSeed | null = saved?.demo ?? null;
  const scenarioIds = new Map<string, string>(Object.entries(saved?.scenarioIds ?? {}));
  if (saved) {
    tokens.restore(saved.tokens);
    usage.restore(saved.apiUsage);
  }
  if (options.stateFile) {
    writer = new StateLog(options.stateFile, store, {
      tokens: () => tokens.serialize(),
      apiUsage: () => usage.serialize(),
      demo: () => demo,
      scenarioIds: () => Object.fromEntries(scenarioIds),
    });
    // A new org is on disk at once, and an unwritable path fails the start, not a later save.
    if (saved) {
      writer.resume(saved);
      for (const change of early) writer.record(change);
    } else writer.compact();
  }

  let url = '';
  let server: Server | null = null;
  const behaviour: Behaviour = { bulkFailures: new Map(), apiEnabled: true, userActive: true };
  const ctx: FakeContext = { options, store, now, tokens, usage, faults: new Faults(), baseUrl: () => url, behaviour };
  const org = new FakeOrg(store, now);
  // Made before the server listens, so the control API serves it from the first request.
  const fake: FakeSalesforce = {
    get url() {
      return url;
    },
    org,
    orgId: store.orgId,
    userId: store.userId,
    restored: saved !== null,
    get isEmpty() {
      return holdsOnlySetup(store);
    },
    idFor: (scenarioId) => scenarioIds.get(scenarioId),
    seedDemoOrg: () => {
      if (demo)
        throw new Error(
          'fake-salesforce: this org already holds the demo data (seedDemoOrg runs once per org); demoChats() gives its chats',
        );
      demo = seedDemoOrg(org, now());
      writer?.touched('demo');
      return structuredClone(demo);
    },
    demoChats: () => structuredClone(demo?.chats ?? []),
    seedScenario: (file) => {
      const seed = seedScenario(store, file);
      for (const [k, v] of seed.ids) scenarioIds.set(k, v);
      writer?.touched('scenarioIds');
      return seed;
    },
    generateOrg: (spec) => {
      if (!holdsOnlySetup(store))
        throw new Error('fake-salesforce: generateOrg fills an empty org, and this one holds data');
      // Written in bulk: one snapshot afterwards rather than a log line per save.
      writer?.pause();
      try {
        return seedGeneratedOrg(store, spec, now());
      } finally {
        writer?.compact();
      }
    },
    changeOpportunities: (count, seed) => changeGeneratedOpportunities(store, count, seed, now()),
    get apiUsage() {
      return usage.used;
    },
    setApiUsage: (n) => usage.set(n),
    injectFault: (spec) => ctx.faults.add(spec),
    clearFaults: () => ctx.faults.clear(),
    hardDelete: (objectType, id) => org.hardDelete(objectType, id),
    revokeAllTokens: () => tokens.revokeAll(),
    failBulkJobs: (object, state = 'Failed', errorMessage = 'Retried more than 15 times') => {
      if (object === null) behaviour.bulkFailures.clear();
      else behaviour.bulkFailures.set(objectNamed(store, object).name, { state, errorMessage });
    },
    hideField: (object, field, hidden = true) => {
      const def = objectNamed(store, object);
      const f = def.byName.get(field.toLowerCase());
      if (!f) throw new Error(`fake-salesforce: ${def.name} has no field ${field}`);
      if (hidden) store.hiddenFields.add(`${def.name}.${f.name}`);
      else store.hiddenFields.delete(`${def.name}.${f.name}`);
    },
    setApiAccess: (enabled) => {
      behaviour.apiEnabled = enabled;
    },
    deactivateUser: () => {
      behaviour.userActive = false;
      store.update('User', store.userId, { IsActive: false }, now());
      tokens.revokeAll();
    },
    expireAccessTokens: () => tokens.expireAccessTokens(),
    setClock: (at) => {
      clock = at === null ? null : fixedClock(at);
    },
    approveAuthorization: (authorizeUrl, decision) => approveAuthorization(authorizeUrl, decision),
    close: async () => {
      try {
        if (server) await closeServer(server);
      } finally {
        writer?.close();
      }
    },
  };

  const control = options.controlToken ? controlRouter(options.controlToken, fake) : null;
  try {
    const started = await listen(createApp(ctx, control), options.port, options.host);
    server = started.server;
    url = started.url;
  } catch (err) {
    writer?.close();
    throw err;
  }
  return fake;
}

function fixedClock(at: Date | string): () => Date {
  const ms = new Date(at).getTime();
  if (Number.isNaN(ms))
    throw new Error(`fake-salesforce: setClock needs a Date or an ISO-8601 instant, not ${String(at)}`);
  return () => new Date(ms);
}
