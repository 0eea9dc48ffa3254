// A smoke test of the sync benchmark, scaled down: `bench:sync -- --opportunities 2000` runs as
// a child process against the test PostgreSQL and ends with its JSON line. No timing is asserted:
// CI machines are shared and noisy; docs/performance.md records the figures.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';

const run = promisify(execFile);
const root = path.resolve(__dirname, '..', '..');

const figures = z.object({
  opportunities: z.literal(2000),
  records: z.number().int().positive(),
  seconds: z.number().positive(),
  copySeconds: z.number().positive(),
  ratio: z.number().positive(),
  recordsPerSecond: z.number().positive(),
  maxRssMB: z.number().positive(),
  incrementalSeconds: z.number().positive(),
});

describe('npm run bench:sync', () => {
  it('syncs a 2,000-opportunity org end to end and prints its figures as the last line', async () => {
    const { stdout } = await run(
      process.execPath,
      [
        'scripts/run.js',
        'scripts/bench/sync.ts',
        '--opportunities',
        '2000',
        '--database-url',
        process.env.TEST_PG_ADMIN_URL!,
      ],
      { cwd: root, maxBuffer: 16 * 1024 * 1024, timeout: 170_000 },
    );
    const lines = stdout.trim().split('\n');
    const result = figures.parse(JSON.parse(lines[lines.length - 1]!));
    expect(result.records).toBeGreaterThan(2000);
  }, 180_000);
});
