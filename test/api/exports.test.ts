// Downloads run on a pool of their own, so slow readers cannot starve the API; a reader that stops
// reading is cut off; and no cell reaches a spreadsheet as a live formula.
import { connect, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { createExports, formulaSafe, sendCsv } from '../../src/api/exports';
import { isAppError } from '../../src/platform/errors';
import type { RunningService } from '../../src/app/service';
import { useTestDatabase } from '../support/database';
import { inProcessJobs } from '../support/queues';
import { startTestService, testConfig } from '../support/service';
import { newKey, newWorkspace } from './helpers';

const database = useTestDatabase();
let service: RunningService;

beforeAll(async () => {
  service = await startTestService({
    database,
    jobs: inProcessJobs(),
    role: 'api',
    config: testConfig({ EXPORT_IDLE_TIMEOUT_SECONDS: '5', EXPORT_POOL_MAX: '2', EXPORTS_PER_WORKSPACE: '1' }),
  });
});
afterAll(() => service.close());

async function bigLedger(slug: string, entries: number, conversationId = (i: string) => `'conv-' || ${i}`) {
  const ws = await newWorkspace(database.db, slug);
  await database.db.execute(
    sql.raw(`
    insert into ledger_entries (workspace_id, seq, opportunity_id, measure, effective_day, amount, currency, reason, correction,
                                causes, recorded_at, engine_version, revision, batch_id, prev_hash, hash)
    select '${ws.id}', i, '006' || lpad(i::text, 15, '0'), 'pipeline', date '2026-01-01' + (i % 365), -(i % 1000) - 0.5, 'USD',
           'amount_changed', false, jsonb_build_object('versions', jsonb_build_array(), 'conversations', jsonb_build_array(${conversationId('i')})),
           now(), 'rules-v1.1/engine-2', 0, gen_random_uuid(), md5(i::text) || md5(i::text), md5((i + 1)::text) || md5((i + 1)::text)
    from generate_series(1, ${entries}) as i`),
  );
  return { ws, key: await newKey(database.db, ws.id, ['ledger:read', 'dashboard:read']) };
}

/** A client that sends the request and never reads the answer: the server's writes back up. */
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

/** A response that takes a few bytes, then never drains: a reader that stopped reading. */
function stuckResponse() {
  const res = new Writable({
    highWaterMark: 1024,
    write: (_chunk, _enc, done) => void (taken++ === 0 ? done() : undefined),
  });
  let taken = 0;
  return Object.assign(res, { type: () => res, attachment: () => res });
}

describe('CSV exports', () => {
  it('neutralise cells a spreadsheet would run as formulas, as OWASP recommends, and keep negative amounts as numbers', () => {
    expect(['=1+1', '+SUM(A1)', '-cmd', '@x', '\tx', '\rx'].map(formulaSafe)).toEqual([
      "'=1+1",
      "'+SUM(A1)",
      "'-cmd",
      "'@x",
      "'\tx",
      "'\rx",
    ]);
    expect(['-120000.50', '42', 'conv-1', ''].map(formulaSafe)).toEqual(['-120000.50', '42', 'conv-1', '']);
  });

  it('write a hostile conversation id into ledger.csv as text, not as a formula', async () => {
    const { key } = await bigLedger('formula-books', 2, () => `'=HYPERLINK("http://evil.example","x")'`);
    const res = await fetch(`${service.url}/api/v1/ledger.csv`, { headers: { authorization: `Bearer ${key}` } });
    const text = await res.text();
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(text).toMatch(/\n1,006000000000000001,pipeline,2026-01-02,-1.50,USD,/);
  });

  it('cut a download off when its reader stops reading for the idle timeout, and free its slot', async () => {
    let released = 0;
    const destroyed = new Promise<void>((resolve) => {
      const res = stuckResponse();
      res.destroy = ((err?: Error) => {
        resolve();
        return Writable.prototype.destroy.call(res, err);
      }) as typeof res.destroy;
      async function* endless() {
        for (let i = 0; ; i++) yield { seq: String(i), note: 'x'.repeat(100) };
      }
      const req = { log: { warn: () => {} } };
      void sendCsv(
        req as never,
        res as never,
        { name: 'x.csv', columns: ['seq', 'note'], records: endless() },
        { idleMs: 200, totalMs: 60_000 },
        () => {
          released += 1;
        },
      );
    });
    const started = Date.now();
    await destroyed;
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    await new Promise((r) => setTimeout(r, 50));
    expect(released).toBe(1);
  });

  it('give each workspace one download at a time and the pool its size, refusing more at once with Retry-After', async () => {
    const exports = createExports({ end: async () => {} } as never, {
      poolMax: 2,
      perWorkspace: 1,
      idleMs: 1000,
      totalMs: 1000,
    });
    const first = exports.acquire('w1');
    const refused = (() => {
      try {
        exports.acquire('w1');
        return null;
      } catch (err) {
        return err;
      }
    })();
    expect(
      isAppError(refused, 'unavailable') && refused.status === 503 && refused.details.retryAfterSeconds === 60,
    ).toBe(true);
    const second = exports.acquire('w2');
    expect(() => exports.acquire('w3')).toThrow(/every export slot is in use/);
    first();
    first(); // releasing twice frees one slot, not two
    expect(() => exports.acquire('w3')).not.toThrow();
    expect(() => exports.acquire('w4')).toThrow(/every export slot is in use/);
    second();
  });

  it('keep the API answering from its own pool while a download is stalled, and refuse a second one of that workspace', async () => {
    const { key } = await bigLedger('slow-books', 100_000);
    const url = `${service.url}/api/v1/ledger.csv`;
    const stalled = await stalledDownload(url, key);
    try {
      // Give the stalled download time to start its cursor and fill the buffers.
      await new Promise((r) => setTimeout(r, 1_000));
      // Were the API waiting for the export's connection, this would hang until the signal's timeout.
      const other = await fetch(`${service.url}/api/v1/teams`, {
        headers: { authorization: `Bearer ${key}` },
        signal: AbortSignal.timeout(15_000),
      });
      expect(other.status).toBe(200);

      const second = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
      expect(second.status).toBe(503);
      expect(second.headers.get('retry-after')).toBe('60');
      expect(((await second.json()) as { detail: string }).detail).toMatch(
        /already has 1 download running: try again in a minute/,
      );
    } finally {
      stalled.destroy();
    }
  }, 30_000);
});
