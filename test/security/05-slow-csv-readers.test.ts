// Finding 5 of the fault-injection round: "Slow CSV readers starve every tenant. Ten downloads at
// 5 kB/s made `/readyz` answer 503 and another tenant's requests time out. Exports use their own
// small pool with a per-workspace limit, plus idle and total timeouts. [...] Either way, API
// requests never wait for an export."
// The attack: ten ledger.csv downloads whose readers stop reading (paused sockets), from five
// workspaces, while another tenant asks for /readyz and its dashboard.
import { connect, type Socket } from 'node:net';
import { sql } from 'drizzle-orm';
import type { RunningService } from '../../src/app/service';
import { newKey, newWorkspace } from '../api/helpers';
import { useTestDatabase } from '../support/database';
import { inProcessJobs } from '../support/queues';
import { startTestService, testConfig } from '../support/service';

const database = useTestDatabase();
// Longer than any answer may take (the fetch timeout below): an answer that waited for an export
// would wait until the export is cut off, and fail.
const IDLE_SECONDS = 20;
const ANSWER_TIMEOUT_MS = 10_000;
let service: RunningService;

beforeAll(async () => {
  service = await startTestService({
    database,
    jobs: inProcessJobs(),
    config: testConfig({
      EXPORT_IDLE_TIMEOUT_SECONDS: String(IDLE_SECONDS),
      EXPORT_POOL_MAX: '2',
      EXPORTS_PER_WORKSPACE: '1',
    }),
  });
});
afterAll(() => service.close());

/** A workspace whose ledger.csv is far larger than the socket buffers (entries inserted directly). */
async function bigLedger(slug: string, entries: number) {
  const ws = await newWorkspace(database.db, slug);
  await database.db.execute(sql`
    insert into ledger_entries (workspace_id, seq, opportunity_id, measure, effective_day, amount, currency, reason,
                                correction, causes, recorded_at, engine_version, revision, batch_id, prev_hash, hash)
    select ${ws.id}, i, '006' || lpad(i::text, 15, '0'), 'pipeline', date '2026-01-01' + (i % 365), (i % 1000) + 0.5,
           'USD', 'amount_changed', false,
           jsonb_build_object('versions', jsonb_build_array(), 'conversations', jsonb_build_array('conv-' || i)),
           now(), 'rules-v1.1/engine-2', 0, gen_random_uuid(), md5(i::text) || md5(i::text),
           md5((i + 1)::text) || md5((i + 1)::text)
    from generate_series(1, ${entries}) as i`);
  return newKey(database.db, ws.id, ['ledger:read', 'dashboard:read']);
}

/** Sends the request and never reads the answer: the server's writes back up. */
function stalledDownload(url: string, key: string): Promise<Socket> {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.pause();
      socket.write(
        `GET ${pathname} HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${key}\r\nConnection: close\r\n\r\n`,
      );
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

async function timed(url: string, key?: string) {
  const started = Date.now();
  const res = await fetch(url, {
    headers: key ? { authorization: `Bearer ${key}` } : {},
    signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
  });
  await res.arrayBuffer();
  return { status: res.status, ms: Date.now() - started };
}

describe('slow CSV readers', () => {
  it('ten stalled ledger.csv downloads leave another tenant answered promptly, and are cut off when idle', async () => {
    const keys: string[] = [];
    for (let i = 0; i < 5; i++) keys.push(await bigLedger(`slow-readers-${i}`, 40_000));
    const otherKey = await newKey(database.db, (await newWorkspace(database.db, 'other-tenant')).id);
    const url = `${service.url}/api/v1/ledger.csv`;

    const sockets: Socket[] = [];
    try {
      for (let i = 0; i < 10; i++) sockets.push(await stalledDownload(url, keys[i % 5]!));
      await new Promise((r) => setTimeout(r, 1_000)); // their cursors run and their buffers fill
      const stalledAt = Date.now();

      const answers = [];
      for (let round = 0; round < 5; round++) {
        answers.push(await timed(`${service.url}/readyz`));
        answers.push(await timed(`${service.url}/api/v1/dashboard?from=2026-01-01&to=2026-03-31`, otherKey));
      }
      process.stderr.write(
        `05-slow-csv-readers: answers under 10 stalled downloads (ms): ${answers.map((a) => a.ms).join(', ')}\n`,
      );
      // Every one answered while the downloads were still stalled (none waited for an export's
      // connection: that lasts until the idle cut-off, past the answer timeout). How fast depends on
      // the machine's load; the CSV the two running downloads write into socket buffers takes CPU.
      expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
      expect(Date.now() - stalledAt).toBeLessThan(IDLE_SECONDS * 1000);

      // Two downloads at most stream at once (the export pool); the rest were refused at once.
      const more = await fetch(url, { headers: { authorization: `Bearer ${keys[0]!}` } });
      expect(more.status).toBe(503);
      expect(more.headers.get('retry-after')).toBe('60');

      // The stalled readers are cut off after the idle timeout, and their slots come back.
      await new Promise((r) => setTimeout(r, (IDLE_SECONDS + 2) * 1000));
      const after = await fetch(url, { headers: { authorization: `Bearer ${keys[1]!}` } });
      expect(after.status).toBe(200);
      expect((await after.text()).split('\n').length).toBeGreaterThan(40_000);

      // And no backend is left writing a cut-off COPY to a socket nobody reads (it would hold its
      // snapshot, and every DROP DATABASE of the cluster, for ever).
      const stuck = async () =>
        (
          await database.db.execute<{ n: number }>(sql`
            select count(*)::int as n from pg_stat_activity
            where datname = current_database() and wait_event = 'ClientWrite'`)
        )[0]!.n;
      for (let i = 0; i < 50 && (await stuck()) > 0; i++) await new Promise((r) => setTimeout(r, 100));
      expect(await stuck()).toBe(0);
    } finally {
      for (const s of sockets) s.destroy();
    }
  }, 120_000);
});
