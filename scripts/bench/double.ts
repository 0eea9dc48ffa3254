// Benchmarks the local test Salesforce (tools/fake-salesforce) holding a large generated org, as
// its own process with a state file: seeds the org (generator, then one snapshot on disk), reads
// every Opportunity and OpportunityHistory over HTTP the two ways the sync does (Bulk API 2.0
// queryAll results pages, then REST queryAll ordered by the cursor field, following
// nextRecordsUrl), then restarts it from the state file. The floor of the restart is the start of
// a new, empty org in the same run (the process and tsx start-up). Progress goes to stderr; the
// last line on stdout is one JSON object.
// usage: npm run --silent bench:double -- --opportunities N [--seed N]
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { randomBytes } from 'node:crypto';
import { LOCAL_SALESFORCE_MAIN, type LocalSalesforceProcess } from '../../src/app/local-salesforce';
import { startChild } from '../../src/platform/child-process';
import { projectRoot } from '../../src/platform/paths';
import { round } from './measure';
import { authorize, CLIENT, generatedOrg, REDIRECT } from './sync-org';

const USAGE = 'usage: npm run --silent bench:double -- --opportunities N [--seed N]';
const API = '/services/data/v62.0';
/** What the sync selects (src/salesforce/objects.ts) and how it orders its REST pass. */
const OBJECTS = [
  {
    name: 'Opportunity',
    cursor: 'SystemModstamp',
    fields:
      'Id, IsDeleted, CreatedDate, SystemModstamp, AccountId, Amount, StageName, CloseDate, IsClosed, IsWon, Probability, OwnerId',
  },
  {
    name: 'OpportunityHistory',
    cursor: 'CreatedDate',
    fields: 'Id, IsDeleted, CreatedDate, SystemModstamp, OpportunityId, Amount, StageName, CloseDate, Probability',
  },
];
/** The sync's Bulk results page (src/salesforce/settings.ts). */
const BULK_PAGE = 10_000;

class UsageError extends Error {}

function parseOptions(argv: string[]): { opportunities: number; seed: number } {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { opportunities: { type: 'string' }, seed: { type: 'string' } } }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const opportunities = Number(values.opportunities ?? 100_000);
  const seed = Number(values.seed ?? 20_260_301);
  if (!Number.isInteger(opportunities) || opportunities < 10 || !Number.isInteger(seed))
    throw new UsageError('--opportunities must be a whole number ≥ 10, --seed an integer');
  return { opportunities, seed };
}

const started = Date.now();
function progress(message: string): void {
  process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(1).padStart(7)} s] ${message}\n`);
}
const seconds = (t0: number) => (performance.now() - t0) / 1000;

/** Peak resident set size of a process (VmHWM), in MB; Linux only. */
function peakRssMB(pid: number | undefined): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

/** CPU seconds (user + system) of a process; Linux only. */
function cpuSeconds(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}

const readyLine = z.object({
  ready: z.literal(true),
  url: z.string(),
  orgId: z.string(),
  userId: z.string(),
  restored: z.boolean(),
});

/**
 * The double as npm start runs it (src/app/local-salesforce.ts), with a control token of our own:
 * its control calls go through node:http, without fetch's five-minute header timeout, since
 * generating a million opportunities takes longer than that on a loaded machine.
 */
async function start(stateFile: string): Promise<LocalSalesforceProcess> {
  const token = randomBytes(24).toString('base64url');
  const child = await startChild({
    name: 'the local test Salesforce',
    command: process.execPath,
    args: [
      path.join(projectRoot, 'scripts', 'run.js'),
      LOCAL_SALESFORCE_MAIN,
      '--port=0',
      `--client-id=${CLIENT.clientId}`,
      `--client-secret=${CLIENT.clientSecret}`,
      `--redirect-uri=${REDIRECT}`,
      '--daily-api-limit=100000000',
      '--bulk-job-delay-ms=0',
      `--state-file=${stateFile}`,
      `--control-token=${token}`,
    ],
    cwd: projectRoot,
    ready: readyLine,
    timeoutMs: 3_600_000,
    onStderrLine: (line) => process.stderr.write(`  double: ${line}\n`),
  });
  const { url, orgId, userId, restored } = child.ready;
  return {
    url,
    orgId,
    userId,
    restored,
    pid: child.pid,
    control: (command, args = {}) => control(url, token, command, args),
    close: () => child.stop(600_000),
  };
}

function control(url: string, token: string, command: string, args: Record<string, unknown>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify(args);
    const req = request(
      `${url}/__control/${command}`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-control-token': token,
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            const answer = JSON.parse(text) as { result?: unknown; error?: string };
            if (res.statusCode === 200) resolve(answer.result);
            else reject(new Error(`the double refused ${command} (HTTP ${res.statusCode}): ${answer.error ?? text}`));
          } catch {
            reject(new Error(`the double answered ${command} with HTTP ${res.statusCode}: ${text.slice(0, 200)}`));
          }
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

type Kind = 'bulk' | 'rest';
/** Pages read, and the largest page, per way of reading: what the floor serves again. */
const traffic: Record<Kind, { pages: number; sample: string; contentType: string }> = {
  bulk: { pages: 0, sample: '', contentType: 'text/csv' },
  rest: { pages: 0, sample: '', contentType: 'application/json' },
};

async function get(url: string, token: string, kind?: Kind): Promise<{ text: string; headers: Headers }> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}: ${text.slice(0, 300)}`);
  if (kind) {
    traffic[kind].pages++;
    if (text.length > traffic[kind].sample.length) traffic[kind].sample = text;
  }
  return { text, headers: res.headers };
}

/**
 * The floor of reading: the same number of pages, each as large as the largest page read, from a
 * server that only sends bytes it holds (gzip'd beforehand for Bulk, as the double gzips its CSV),
 * parsed by the client as the reads above parse them. Seconds per way of reading.
 */
async function readFloor(): Promise<Record<Kind, number>> {
  const bodies = {
    bulk: gzipSync(traffic.bulk.sample),
    rest: Buffer.from(traffic.rest.sample),
  };
  const server = createServer((req, res) => {
    const kind: Kind = req.url?.startsWith('/bulk') ? 'bulk' : 'rest';
    res.writeHead(200, {
      'content-type': traffic[kind].contentType,
      ...(kind === 'bulk' ? { 'content-encoding': 'gzip' } : {}),
      'content-length': bodies[kind].length,
    });
    res.end(bodies[kind]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const out = { bulk: 0, rest: 0 };
  try {
    for (const kind of ['bulk', 'rest'] as const) {
      const t0 = performance.now();
      for (let i = 0; i < traffic[kind].pages; i++) {
        const text = await (await fetch(`http://127.0.0.1:${port}/${kind}`)).text();
        if (kind === 'rest') restPage.parse(JSON.parse(text));
      }
      out[kind] = seconds(t0);
    }
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  return out;
}

async function readBulk(base: string, token: string, object: (typeof OBJECTS)[number]): Promise<number> {
  const created = await fetch(`${base}${API}/jobs/query`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ operation: 'queryAll', query: `SELECT ${object.fields} FROM ${object.name}` }),
  });
  const job = z.object({ id: z.string() }).parse(await created.json());
  for (;;) {
    const info = z
      .object({ state: z.string() })
      .parse(JSON.parse((await get(`${base}${API}/jobs/query/${job.id}`, token)).text));
    if (info.state === 'JobComplete') break;
    if (info.state !== 'UploadComplete' && info.state !== 'InProgress')
      throw new Error(`Bulk job ${job.id}: ${info.state}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  let records = 0;
  let locator: string | null = null;
  do {
    const q: string = `maxRecords=${BULK_PAGE}${locator ? `&locator=${encodeURIComponent(locator)}` : ''}`;
    const page = await get(`${base}${API}/jobs/query/${job.id}/results?${q}`, token, 'bulk');
    records += Number(page.headers.get('sforce-numberofrecords'));
    const next = page.headers.get('sforce-locator');
    locator = next && next !== 'null' ? next : null;
  } while (locator);
  return records;
}

const restPage = z.object({ done: z.boolean(), nextRecordsUrl: z.string().optional(), records: z.array(z.unknown()) });

async function readRest(base: string, token: string, object: (typeof OBJECTS)[number]): Promise<number> {
  const soql = `SELECT ${object.fields} FROM ${object.name} ORDER BY ${object.cursor} ASC, Id ASC`;
  let page = restPage.parse(
    JSON.parse((await get(`${base}${API}/queryAll?q=${encodeURIComponent(soql)}`, token, 'rest')).text),
  );
  let records = page.records.length;
  while (!page.done && page.nextRecordsUrl) {
    page = restPage.parse(JSON.parse((await get(`${base}${page.nextRecordsUrl}`, token, 'rest')).text));
    records += page.records.length;
  }
  return records;
}

async function count(base: string, token: string, object: string): Promise<number> {
  const answer = (await get(`${base}${API}/queryAll?q=${encodeURIComponent(`SELECT COUNT() FROM ${object}`)}`, token))
    .text;
  return z.object({ totalSize: z.number() }).parse(JSON.parse(answer)).totalSize;
}

async function main(): Promise<void> {
  const { opportunities, seed } = parseOptions(process.argv.slice(2));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-double-'));
  const stateFile = path.join(dir, 'org.jsonl');
  let fake: LocalSalesforceProcess | null = null;
  try {
    progress(`starting the double with the state file ${stateFile}`);
    let t0 = performance.now();
    fake = await start(stateFile);
    const emptyStartSeconds = seconds(t0);

    progress(`generating an org of ${opportunities} opportunities (seed ${seed})`);
    t0 = performance.now();
    const org = generatedOrg.parse(await fake.control('generateOrg', { opportunities, seed }));
    const seedSeconds = seconds(t0);
    const records =
      org.opportunities + org.accounts + org.contacts + org.leads + org.contactRoles + org.opportunityHistory;
    const seedLogBytes = statSync(stateFile).size;
    progress(
      `seeded ${records} records in ${seedSeconds.toFixed(1)} s; state file ${(seedLogBytes / 1e6).toFixed(0)} MB`,
    );

    const { access_token: token } = await authorize(fake);
    const read = { bulk: 0, rest: 0, bulkSeconds: 0, restSeconds: 0 };
    const cpu0 = cpuSeconds(fake.pid);
    for (const object of OBJECTS) {
      t0 = performance.now();
      const bulk = await readBulk(fake.url, token, object);
      read.bulkSeconds += seconds(t0);
      read.bulk += bulk;
      progress(`Bulk API 2.0: ${bulk} ${object.name} in ${seconds(t0).toFixed(1)} s`);
      t0 = performance.now();
      const rest = await readRest(fake.url, token, object);
      read.restSeconds += seconds(t0);
      read.rest += rest;
      progress(`REST queryAll: ${rest} ${object.name} in ${seconds(t0).toFixed(1)} s`);
    }
    const readCpuSeconds = cpuSeconds(fake.pid) - cpu0;
    const peak = peakRssMB(fake.pid);
    progress(`floor: the same ${traffic.bulk.pages} + ${traffic.rest.pages} pages from a server that only sends bytes`);
    const floor = await readFloor();
    const expected = org.opportunities + org.opportunityHistory;
    if (read.bulk !== expected || read.rest !== expected)
      throw new Error(`read ${read.bulk} (Bulk) and ${read.rest} (REST) records, expected ${expected}`);

    progress('restarting from the state file');
    await fake.close();
    fake = null;
    const logBytes = statSync(stateFile).size;
    t0 = performance.now();
    fake = await start(stateFile);
    const restartSeconds = seconds(t0);
    const { access_token: again } = await authorize(fake);
    const history = await count(fake.url, again, 'OpportunityHistory');
    if (!fake.restored || history !== org.opportunityHistory)
      throw new Error(
        `the restarted double holds ${history} OpportunityHistory rows, expected ${org.opportunityHistory}`,
      );
    const restartPeak = peakRssMB(fake.pid);
    await fake.close();
    fake = null;

    const load = os.loadavg().map((l) => round(l));
    console.log(
      JSON.stringify({
        opportunities,
        records,
        seedSeconds: round(seedSeconds),
        seedRecordsPerSecond: Math.round(records / seedSeconds),
        readRecords: read.bulk + read.rest,
        bulkRecordsPerSecond: Math.round(read.bulk / read.bulkSeconds),
        restRecordsPerSecond: Math.round(read.rest / read.restSeconds),
        readRecordsPerSecond: Math.round((read.bulk + read.rest) / (read.bulkSeconds + read.restSeconds)),
        bulkFloorRecordsPerSecond: Math.round(read.bulk / floor.bulk),
        bulkRatio: round(read.bulkSeconds / floor.bulk),
        restFloorRecordsPerSecond: Math.round(read.rest / floor.rest),
        restRatio: round(read.restSeconds / floor.rest),
        readCpuSecondsPerMillion: round((readCpuSeconds / (read.bulk + read.rest)) * 1e6),
        peakRssMB: peak,
        bytesPerRecordRss: peak === null ? null : Math.round((peak * 1024 * 1024) / records),
        logMB: round(logBytes / 1e6),
        restartSeconds: round(restartSeconds),
        emptyStartSeconds: round(emptyStartSeconds),
        restartRatio: round(restartSeconds / emptyStartSeconds),
        restartPeakRssMB: restartPeak,
        loadAverage: load,
      }),
    );
  } finally {
    if (fake) await fake.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  if (err instanceof UsageError) {
    process.stderr.write(`${err.message}\n${USAGE}\n`);
    process.exit(2);
  }
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
