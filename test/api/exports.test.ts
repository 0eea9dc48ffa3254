// Downloads run on a pool of their own, so slow readers cannot starve the API; a reader that stops
// reading is cut off; and no cell reaches a spreadsheet as a live formula.
import { request } from 'node:http';
import { sql } from 'drizzle-orm';
import { formulaSafe } from '../../src/api/exports';
import type { RunningService } from '../../src/app/service';
import { useTestDatabase } from '../support/database';
import { inProcessJobs } from '../support/queues';
import { startTestService, testConfig } from '../support/service';
import { newKey, newWorkspace } from './helpers';

const database = useTestDatabase();
let service: RunningService;

beforeAll(async () => {
  service = await startTestService({
    database, jobs: inProcessJobs(), role: 'api',
    config: testConfig({ EXPORT_IDLE_TIMEOUT_SECONDS: '5', EXPORT_POOL_MAX: '2', EXPORTS_PER_WORKSPACE: '1' }),
  });
});
afterAll(() => service.close());

async function bigLedger(slug: string, entries: number, conversationId = (i: string) => `'conv-' || ${i}`) {
  const ws = await newWorkspace(database.db, slug);
  await database.db.execute(sql.raw(`
    insert into ledger_entries (workspace_id, seq, opportunity_id, measure, effective_day, amount, currency, reason, correction,
                                causes, recorded_at, engine_version, revision, batch_id, prev_hash, hash)
    select '${ws.id}', i, '006' || lpad(i::text, 15, '0'), 'pipeline', date '2026-01-01' + (i % 365), -(i % 1000) - 0.5, 'USD',
           'amount_changed', false, jsonb_build_object('versions', jsonb_build_array(), 'conversations', jsonb_build_array(${conversationId('i')})),
           now(), 'rules-v1.1/engine-2', 0, gen_random_uuid(), md5(i::text) || md5(i::text), md5((i + 1)::text) || md5((i + 1)::text)
    from generate_series(1, ${entries}) as i`));
  return { ws, key: await newKey(database.db, ws.id, ['ledger:read', 'dashboard:read']) };
}

/** Starts a download and reads only its headers: the body waits in the socket, unread. */
function stalledDownload(url: string, key: string) {
  return new Promise<{ status: number; readRest: () => Promise<{ lines: number; complete: boolean }> }>((resolve, reject) => {
    const req = request(url, { headers: { authorization: `Bearer ${key}` } }, (res) => {
      res.pause();
      // A paused socket does not notice the server hanging up; reading the rest tells.
      const readRest = () => new Promise<{ lines: number; complete: boolean }>((done) => {
        let lines = 0;
        res.on('data', (chunk: Buffer) => { for (const b of chunk) if (b === 10) lines += 1; });
        res.once('end', () => done({ lines, complete: res.complete }));
        res.once('error', () => done({ lines, complete: false }));
        res.once('aborted', () => done({ lines, complete: false }));
        res.resume();
      });
      resolve({ status: res.statusCode!, readRest });
    });
    req.once('error', reject);
    req.end();
  });
}

describe('CSV exports', () => {
  it('neutralise cells a spreadsheet would run as formulas, as OWASP recommends, and keep negative amounts as numbers', () => {
    expect(['=1+1', '+SUM(A1)', '-cmd', '@x', '\tx', '\rx'].map(formulaSafe)).toEqual(["'=1+1", "'+SUM(A1)", "'-cmd", "'@x", "'\tx", "'\rx"]);
    expect(['-120000.50', '42', 'conv-1', ''].map(formulaSafe)).toEqual(['-120000.50', '42', 'conv-1', '']);
  });

  it('write a hostile conversation id into ledger.csv as text, not as a formula', async () => {
    const { key } = await bigLedger('formula-books', 2, () => `'=HYPERLINK("http://evil.example","x")'`);
    const res = await fetch(`${service.url}/api/v1/ledger.csv`, { headers: { authorization: `Bearer ${key}` } });
    const text = await res.text();
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(text).toMatch(/\n1,006000000000000001,pipeline,2026-01-02,-1.50,USD,/);
  });

  it('let a stalled reader hold neither the API nor a second slot of its workspace, and cut it off when idle', async () => {
    const { key } = await bigLedger('slow-books', 60_000);
    const url = `${service.url}/api/v1/ledger.csv`;
    const stalled = await stalledDownload(url, key);
    expect(stalled.status).toBe(200);

    // The API answers meanwhile, from its own pool.
    const started = Date.now();
    const other = await fetch(`${service.url}/api/v1/teams`, { headers: { authorization: `Bearer ${key}` } });
    expect(other.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1_000);

    // A second download of the same workspace is refused at once, saying when to come back.
    const second = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
    expect(second.status).toBe(503);
    expect(second.headers.get('retry-after')).toBe('60');
    expect(((await second.json()) as { detail: string }).detail).toMatch(/already has 1 download running: try again in a minute/);

    // The idle timeout (5 s here) ends the stalled download, cut short, and frees its slot.
    await new Promise((r) => setTimeout(r, 6_500));
    const rest = await stalled.readRest();
    expect(rest.complete).toBe(false);
    expect(rest.lines).toBeLessThan(60_001);
    const again = await fetch(`${url}?to=2026-01-05`, { headers: { authorization: `Bearer ${key}` } });
    expect(again.status).toBe(200);
    expect((await again.text()).split('\n')[0]).toBe('seq,opportunity_id,measure,effective_day,amount,currency,reason,correction,cause_versions,cause_conversations,recorded_at,engine_version,hash');
  }, 30_000);
});
