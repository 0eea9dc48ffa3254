// The local test Salesforce in a process of its own, as tests and benchmarks use it: started the
// way npm start starts it (src/app/local-salesforce.ts) and driven through its control API. The
// methods mirror FakeSalesforce (tools/fake-salesforce), made async; the double's own tests in
// tools/fake-salesforce/test use it in-process instead.
import type {
  ControlArgs,
  ControlCommand,
  ControlResult,
  FakeOrg,
  FakeSalesforce,
  FakeSalesforceOptions,
  FaultSpec,
} from '../../tools/fake-salesforce/src';
import { startLocalSalesforce } from '../../src/app/local-salesforce';

export type FakeSalesforceProcessOptions = Omit<FakeSalesforceOptions, 'port' | 'clock' | 'controlToken'> & {
  /** A fixed "now" for the org, which setClock moves; the real time when absent. */
  clock?: Date | string;
  /** Seed the demo org at the start (when the org is empty). */
  demo?: boolean;
};

type Async<F> = F extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;
type Mirrored<T, K extends keyof T> = { readonly [P in K]: Async<T[P]> };

/** FakeOrg's methods over the control API. */
export type RemoteOrg = Mirrored<
  FakeOrg,
  'create' | 'update' | 'delete' | 'hardDelete' | 'get' | 'query' | 'convertLead' | 'addStage' | 'addUser'
>;

export type RemoteFaultHandle = {
  readonly id: number;
  /** How often it struck so far, and how many more times it will. */
  state(): Promise<{ hits: number; remaining: number }>;
  remove(): Promise<void>;
};

export type RemoteFakeSalesforce = Pick<FakeSalesforce, 'url' | 'orgId' | 'userId' | 'restored'> &
  Mirrored<
    FakeSalesforce,
    | 'idFor'
    | 'seedDemoOrg'
    | 'demoChats'
    | 'seedScenario'
    | 'setApiUsage'
    | 'clearFaults'
    | 'hardDelete'
    | 'revokeAllTokens'
    | 'expireAccessTokens'
    | 'failBulkJobs'
    | 'hideField'
    | 'setApiAccess'
    | 'deactivateUser'
    | 'setClock'
    | 'approveAuthorization'
  > & {
    readonly org: RemoteOrg;
    /** In-process these two are getters. */
    isEmpty(): Promise<boolean>;
    apiUsage(): Promise<number>;
    injectFault(spec: FaultSpec): Promise<RemoteFaultHandle>;
    /** Many control commands in one request, in order (to seed a big org without a round trip per record). */
    batch<C extends ControlCommand>(
      calls: Array<{ command: C; args: ControlArgs<C> }>,
    ): Promise<Array<ControlResult<C>>>;
    /** SIGTERM, and waits for the process to write its state file (if any) and exit. */
    close(): Promise<void>;
  };

/** Starts `tools/fake-salesforce/src/main.ts --port 0` with these options. */
export async function startFakeSalesforceProcess(options: FakeSalesforceProcessOptions): Promise<RemoteFakeSalesforce> {
  const fake = await startLocalSalesforce(flags(options), {
    // Quiet unless asked (its last lines are in any error anyway): TEST_LOG_LEVEL=debug shows them all.
    onStderrLine:
      process.env.TEST_LOG_LEVEL === 'debug' ? (line) => process.stderr.write(`fake-salesforce: ${line}\n`) : undefined,
  });
  const call = <C extends ControlCommand>(command: C, args: ControlArgs<C>) =>
    fake.control(command, args) as Promise<ControlResult<C>>;
  const done = async (answer: Promise<null>) => void (await answer);

  const org: RemoteOrg = {
    create: (type, fields, opts = {}) => call('org.create', { type, fields, at: instant(opts.at) }),
    update: (type, id, fields, opts = {}) => done(call('org.update', { type, id, fields, at: instant(opts.at) })),
    delete: (type, id, opts = {}) => done(call('org.delete', { type, id, at: instant(opts.at) })),
    hardDelete: (type, id, opts = {}) => done(call('org.hardDelete', { type, id, at: instant(opts.at) })),
    get: async (type, id) => (await call('org.get', { type, id })) ?? undefined,
    query: (soql, opts = {}) => call('org.query', { soql, includeDeleted: opts.includeDeleted }),
    convertLead: (leadId, { at, ...into }) => done(call('org.convertLead', { leadId, ...into, at: instant(at) })),
    addStage: (spec, opts = {}) => call('org.addStage', { ...spec, at: instant(opts.at) }),
    addUser: (user, opts = {}) => call('org.addUser', { ...user, at: instant(opts.at) }),
  };
  return {
    url: fake.url,
    orgId: fake.orgId,
    userId: fake.userId,
    restored: fake.restored,
    org,
    isEmpty: () => call('isEmpty', {}),
    idFor: async (scenarioId) => (await call('idFor', { scenarioId })) ?? undefined,
    seedDemoOrg: () => call('seedDemoOrg', {}),
    demoChats: () => call('demoChats', {}),
    seedScenario: async (file) => {
      const seed = await call('seedScenario', { file });
      return { chats: seed.chats, ids: new Map(Object.entries(seed.ids)) };
    },
    apiUsage: () => call('apiUsage', {}),
    setApiUsage: (n) => done(call('setApiUsage', { n })),
    injectFault: async ({ match, ...rest }) => {
      const { id } = await call('injectFault', { ...rest, match: { source: match.source, flags: match.flags } });
      return { id, state: () => call('fault', { id }), remove: () => done(call('removeFault', { id })) };
    },
    batch: (calls) =>
      fake.control('batch', { calls }) as Promise<Array<ControlResult<(typeof calls)[number]['command']>>>,
    clearFaults: () => done(call('clearFaults', {})),
    hardDelete: (type, id) => done(call('org.hardDelete', { type, id })),
    revokeAllTokens: () => done(call('revokeAllTokens', {})),
    failBulkJobs: (object, state, errorMessage) => done(call('failBulkJobs', { object, state, errorMessage })),
    hideField: (object, field, hidden) => done(call('hideField', { object, field, hidden })),
    setApiAccess: (enabled) => done(call('setApiAccess', { enabled })),
    deactivateUser: () => done(call('deactivateUser', {})),
    expireAccessTokens: () => done(call('expireAccessTokens', {})),
    setClock: (now) => done(call('setClock', { now: instant(now) ?? null })),
    approveAuthorization: async (authorizeUrl, decision) =>
      new URL(await call('approveAuthorization', { authorizeUrl, decision })),
    close: () => fake.close(),
  };
}

/** The command line of these options (README.md of the double lists the flags). */
function flags(o: FakeSalesforceProcessOptions): string[] {
  const out = ['--port', '0'];
  const add = (flag: string, value: string | number | undefined) => {
    if (value !== undefined) out.push(flag, String(value));
  };
  const on = (flag: string, yes: boolean | undefined) => {
    if (yes) out.push(flag);
  };
  add('--host', o.host);
  add('--client-id', o.clientId);
  add('--client-secret', o.clientSecret);
  for (const uri of o.redirectUris ?? []) add('--redirect-uri', uri);
  on('--no-rotate-refresh-tokens', o.rotateRefreshTokens === false);
  add('--page-size', o.pageSize);
  add('--daily-api-limit', o.dailyApiLimit);
  add('--access-token-ttl-ms', o.accessTokenTtlMs);
  add('--bulk-job-delay-ms', o.bulkJobDelayMs);
  on('--multi-currency', o.multiCurrency);
  on('--no-field-history', o.fieldHistory === false);
  add('--get-deleted-id-limit', o.getDeletedIdLimit);
  add('--concurrent-request-limit', o.concurrentRequestLimit);
  add('--token-refresh-ms', o.tokenRefreshMs);
  add('--org-name', o.orgName);
  add('--clock', instant(o.clock));
  add('--state-file', o.stateFile);
  add('--org-id', o.orgId);
  on('--demo', o.demo);
  return out;
}

function instant(at: Date | string | null | undefined): string | undefined {
  return at instanceof Date ? at.toISOString() : (at ?? undefined);
}
