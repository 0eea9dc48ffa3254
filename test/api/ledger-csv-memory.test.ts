// The CSV export streams: a ledger far larger than what may sit in memory goes out with the heap
// staying flat. Entries are inserted directly (their hashes are not a chain: verify is not the point).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { sql } from 'drizzle-orm';
import type { RunningService } from '../../src/app/service';
import { useTestDatabase } from '../support/database';
import { inProcessJobs } from '../support/queues';
import { startTestService } from '../support/service';
import { newKey, newWorkspace } from './helpers';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const database = useTestDatabase();
const ENTRIES = 120_000;
let service: RunningService;

beforeAll(async () => {
  service = await startTestService({ database, jobs: inProcessJobs(), role: 'api' });
});
afterAll(() => service.close());

describe('GET /api/v1/ledger.csv on a large ledger', () => {
  it(`streams ${ENTRIES.toLocaleString('en')} entries with a flat heap`, async () => {
    const ws = await newWorkspace(database.db, 'big-books');
    await database.db.execute(sql`
      insert into ledger_entries (workspace_id, seq, opportunity_id, measure, effective_day, amount, currency, reason, correction,
                                  causes, recorded_at, engine_version, revision, batch_id, prev_hash, hash)
      select ${ws.id}, i, '006' || lpad(i::text, 15, '0'), 'pipeline', date '2026-01-01' + (i % 365), (i * 7 % 100000) + 0.25, 'USD',
             'amount_changed', false,
             jsonb_build_object('versions', jsonb_build_array('006' || lpad(i::text, 15, '0') || '@2026-01-01T00:00:00Z', '003' || i || '@2026-01-01T00:00:00Z'),
                                'conversations', jsonb_build_array('conv-' || i)),
             now(), 'rules-v1/engine-1', 0, gen_random_uuid(), md5(i::text) || md5(i::text), md5((i + 1)::text) || md5((i + 1)::text)
      from generate_series(1, ${ENTRIES}) as i`);
    const key = await newKey(database.db, ws.id, ['ledger:read']);

    gc();
    const baseline = process.memoryUsage().heapUsed;
    let peak = baseline;
    // Live memory, not garbage waiting for a collection: collect, then measure, every 2 MiB.
    let nextSample = 0;
    const sample = () => {
      gc();
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    };
    const started = Date.now();

    const res = await fetch(`${service.url}/api/v1/ledger.csv`, { headers: { authorization: `Bearer ${key}` } });
    expect(res.status).toBe(200);
    let bytes = 0;
    let lines = 0;
    let last = '';
    const decoder = new TextDecoder();
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.byteLength;
      const text = decoder.decode(chunk, { stream: true });
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines += 1;
      last = (last + text).slice(-1000);
      if (bytes >= nextSample) {
        sample();
        nextSample += 2 * 1024 * 1024;
      }
    }
    const seconds = (Date.now() - started) / 1000;
    const growth = peak - baseline;

    expect(lines).toBe(ENTRIES + 1); // the header and every entry
    expect(last).toMatch(new RegExp(`\\n${ENTRIES},006${String(ENTRIES).padStart(15, '0')},pipeline,`));
    // The file is ~30 MiB; its rows loaded as objects would take several times that. Streamed, the live
    // heap holds a few cursor batches and socket buffers (about 2 MiB here), whatever the ledger's size.
    expect(bytes).toBeGreaterThan(25 * 1024 * 1024);
    expect(growth).toBeLessThan(bytes / 4);
    expect(growth).toBeLessThan(10 * 1024 * 1024);
    process.stdout.write(
      `ledger.csv: ${ENTRIES} entries, ${(bytes / 1048576).toFixed(1)} MiB in ${seconds.toFixed(2)} s; ` +
        `peak heap growth ${(growth / 1048576).toFixed(1)} MiB\n`,
    );
  }, 60_000);
});
