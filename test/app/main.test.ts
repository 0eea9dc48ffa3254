// The real entry point, as `npm start` runs it, in a child process.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { useTestDatabase } from '../support/database';
import { freePort } from '../support/ports';
import { redisUrl } from '../support/redis';

const database = useTestDatabase();
const root = path.join(__dirname, '..', '..');

function start(env: Record<string, string>, args: string[] = []) {
  const child = spawn(process.execPath, ['scripts/run.js', 'src/app/main.ts', ...args], {
    cwd: root,
    // No local test Salesforce: its fixed port would clash with a running `npm start` or another test.
    env: {
      PATH: process.env.PATH ?? '',
      LOG_LEVEL: 'info',
      PORT: '0',
      LOCAL_SALESFORCE: 'off',
      DATA_DIR: path.join(root, '.data', 'test-main'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = () =>
    new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        const m = /"url":"(http:\/\/[^"]+)"[^\n]*"msg":"ready/.exec(out);
        if (m) {
          clearInterval(timer);
          resolve(m[1]!);
        }
      }, 50);
      void exited.then(() => {
        clearInterval(timer);
        reject(new Error(`exited before ready:\n${out}\n${err}`));
      });
    });
  return { child, ready, exited, output: () => out + err };
}

describe('npm start (src/app/main.ts)', () => {
  it('serves the API and the worker, and stops cleanly on SIGTERM', async () => {
    const p = start({ DATABASE_URL: database.url });
    const url = await p.ready();
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    expect(p.output()).toMatch(/"msg":"shutting down"/);
  }, 30_000);

  it('runs the local test Salesforce as a child process with the demo, and stops it with itself', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'main-local-salesforce-'));
    const port = await freePort();
    try {
      const p = start({
        DATABASE_URL: database.url,
        LOCAL_SALESFORCE: 'on',
        LOCAL_SALESFORCE_PORT: String(port),
        DATA_DIR: dataDir,
      });
      await p.ready();
      expect(p.output()).toMatch(/"msg":"demo workspace ready \(sample data\)"/);
      expect((await fetch(`http://127.0.0.1:${port}/services/data`)).status).toBe(200);
      p.child.kill('SIGTERM');
      expect(await p.exited).toBe(0);
      await expect(fetch(`http://127.0.0.1:${port}/services/data`)).rejects.toThrow();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 30_000);

  it('refuses to start with a bad variable and names it', async () => {
    const p = start({ DATABASE_URL: database.url, WORKER_CONCURRENCY: 'lots' });
    expect(await p.exited).toBe(1);
    expect(p.output()).toMatch(
      /invalid configuration:\n {2}- WORKER_CONCURRENCY: expected a whole number from 1 to 64 \(got "lots"\)/,
    );
  }, 30_000);

  it('refuses to run the API alone without Redis, and says why', async () => {
    const p = start({ DATABASE_URL: database.url }, ['--role=api']);
    expect(await p.exited).toBe(1);
    expect(p.output()).toMatch(/REDIS_URL: required to run the api alone/);
  }, 30_000);

  it('runs the API and the worker as separate processes over one Redis', async () => {
    const env = { DATABASE_URL: database.url, REDIS_URL: redisUrl(), QUEUE_PREFIX: `attr-main-${process.pid}` };
    const worker = start(env, ['--role=worker']);
    const api = start(env, ['--role=api']);
    const url = await api.ready();
    expect(await (await fetch(`${url}/readyz`)).json()).toEqual({
      status: 'ready',
      checks: { database: 'up', queue: 'up (bullmq)' },
    });
    await new Promise((r) => setTimeout(r, 1000));
    expect(worker.output()).toMatch(/"msg":"worker started"/);
    api.child.kill('SIGTERM');
    worker.child.kill('SIGTERM');
    expect(await api.exited).toBe(0);
    expect(await worker.exited).toBe(0);
  }, 30_000);
});
