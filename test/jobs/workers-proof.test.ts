// Issue 10's worker proof, scaled down for the suite: `npm run proof:workers` with 3 real worker
// processes on one Redis, 9 connected workspaces and 2 rounds, one worker SIGKILLed inside its
// syncs in round 2. The script checks the database and the workers' logs (scripts/proof/checks.ts)
// and ends with its JSON line; the full proof (60 workspaces, 3 rounds) is the same script with
// its defaults, recorded in docs/scaling.md. No timing is asserted.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';
import { describeWithRedis, redisUrl } from '../support/redis';

const run = promisify(execFile);
const root = path.resolve(__dirname, '..', '..');

const figures = z.object({
  workspaces: z.literal(9),
  workers: z.literal(3),
  rounds: z.literal(2),
  okRuns: z.number().int(),
  interruptedRuns: z.number().int(),
  syncsPerWorker: z.record(z.string(), z.number().int()),
  killRound: z.literal(2),
  passed: z.number().int(),
  failed: z.number().int(),
});

describeWithRedis('npm run proof:workers', () => {
  it('3 workers share 9 workspaces’ syncs over 2 rounds, a SIGKILLed one’s runs finished by the others, nothing run or booked twice', async () => {
    const result = await run(
      process.execPath,
      [
        'scripts/run.js',
        'scripts/proof/workers.ts',
        '--workspaces',
        '9',
        '--workers',
        '3',
        '--rounds',
        '2',
        '--kill-round',
        '2',
        '--database-url',
        process.env.TEST_PG_ADMIN_URL!,
        '--redis-url',
        redisUrl(),
      ],
      { cwd: root, maxBuffer: 16 * 1024 * 1024, timeout: 170_000 },
    ).catch((err: { stdout?: string; stderr?: string }) => {
      throw new Error(`the proof failed:\n${err.stderr ?? ''}\n${err.stdout ?? ''}`);
    });
    const lines = result.stdout.trim().split('\n');
    const proof = figures.parse(JSON.parse(lines[lines.length - 1]!));
    expect(proof.failed).toBe(0);
    expect(proof.passed).toBe(8);
    expect(proof.okRuns).toBe(18);
    expect(proof.interruptedRuns).toBeGreaterThanOrEqual(1);
    expect(Object.values(proof.syncsPerWorker).every((n) => n > 0)).toBe(true);
  }, 180_000);
});
