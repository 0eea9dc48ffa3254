// main.ts's command line: flags to startFakeSalesforce's options (checked by their one schema,
// options.ts) plus what main does after the start. A problem is a UsageError naming the flag.
import { parseArgs } from 'node:util';
import { fakeSalesforceOptions, type FakeSalesforceOptions } from './options';

export class UsageError extends Error {}

export type CommandLine = {
  options: FakeSalesforceOptions;
  /** Seed the demo org when the org is empty. */
  demo: boolean;
  /** Scenario files to load, in order (into an empty org only). */
  scenarios: string[];
  /** Where to write the chats to push to the chat side (demo and scenarios). */
  chatsOut?: string;
};

/** The flag of each option, for messages that name what the person typed. */
const FLAGS: Partial<Record<keyof FakeSalesforceOptions, string>> = {
  port: '--port',
  host: '--host',
  clientId: '--client-id',
  clientSecret: '--client-secret',
  redirectUris: '--redirect-uri',
  rotateRefreshTokens: '--no-rotate-refresh-tokens',
  pageSize: '--page-size',
  dailyApiLimit: '--daily-api-limit',
  accessTokenTtlMs: '--access-token-ttl-ms',
  bulkJobDelayMs: '--bulk-job-delay-ms',
  multiCurrency: '--multi-currency',
  fieldHistory: '--no-field-history',
  getDeletedIdLimit: '--get-deleted-id-limit',
  concurrentRequestLimit: '--concurrent-request-limit',
  tokenRefreshMs: '--token-refresh-ms',
  orgName: '--org-name',
  clock: '--clock',
  stateFile: '--state-file',
  orgId: '--org-id',
  controlToken: '--control-token',
};

export function parseCommandLine(argv: string[]): CommandLine {
  const { values: v } = parseFlags(argv);
  const options: FakeSalesforceOptions = {
    port: integer('--port', v.port),
    host: v.host,
    clientId: v['client-id'],
    clientSecret: v['client-secret'],
    redirectUris: v['redirect-uri'],
    rotateRefreshTokens: !v['no-rotate-refresh-tokens'],
    pageSize: integer('--page-size', v['page-size']),
    dailyApiLimit: integer('--daily-api-limit', v['daily-api-limit']),
    accessTokenTtlMs: integer('--access-token-ttl-ms', v['access-token-ttl-ms']),
    bulkJobDelayMs: integer('--bulk-job-delay-ms', v['bulk-job-delay-ms']),
    multiCurrency: v['multi-currency'],
    fieldHistory: !v['no-field-history'],
    getDeletedIdLimit: integer('--get-deleted-id-limit', v['get-deleted-id-limit']),
    concurrentRequestLimit: integer('--concurrent-request-limit', v['concurrent-request-limit']),
    tokenRefreshMs: integer('--token-refresh-ms', v['token-refresh-ms']),
    orgName: v['org-name'],
    clock: fixedClock(v.clock),
    stateFile: v['state-file'],
    orgId: v['org-id'],
    controlToken: v['control-token'],
  };
  const checked = fakeSalesforceOptions.safeParse(options);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    const key = issue.path[0] as keyof FakeSalesforceOptions;
    throw new UsageError(`${FLAGS[key] ?? String(key)}: ${issue.message}`);
  }
  return { options, demo: v.demo, scenarios: v.scenario ?? [], chatsOut: v['chats-out'] };
}

function parseFlags(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      strict: true,
      options: {
        port: { type: 'string', default: '0' },
        host: { type: 'string' },
        'client-id': { type: 'string', default: 'local-test-client' },
        'client-secret': { type: 'string', default: 'local-test-secret' },
        'redirect-uri': { type: 'string', multiple: true },
        'no-rotate-refresh-tokens': { type: 'boolean', default: false },
        'page-size': { type: 'string' },
        'daily-api-limit': { type: 'string' },
        'access-token-ttl-ms': { type: 'string' },
        'bulk-job-delay-ms': { type: 'string' },
        'multi-currency': { type: 'boolean', default: false },
        'no-field-history': { type: 'boolean', default: false },
        'get-deleted-id-limit': { type: 'string' },
        'concurrent-request-limit': { type: 'string' },
        'token-refresh-ms': { type: 'string' },
        'org-name': { type: 'string' },
        clock: { type: 'string' },
        'state-file': { type: 'string' },
        'org-id': { type: 'string' },
        'control-token': { type: 'string' },
        demo: { type: 'boolean', default: false },
        scenario: { type: 'string', multiple: true },
        'chats-out': { type: 'string' },
      },
    });
  } catch (err) {
    // node:util's message, without its advice about positional arguments.
    throw new UsageError(
      `${(err as Error).message.split('. ')[0]} (tools/fake-salesforce/README.md lists the options)`,
    );
  }
}

function integer(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new UsageError(`${flag}: expected a whole number, got "${text}"`);
  return Number(text);
}

/** --clock: the org's "now" stands still at this instant (the control API's setClock moves it). */
function fixedClock(text: string | undefined): (() => Date) | undefined {
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  if (Number.isNaN(ms))
    throw new UsageError(`--clock: expected an ISO-8601 instant such as 2026-03-05T12:00:00Z, got "${text}"`);
  return () => new Date(ms);
}
