// The benchmarks' scratch databases: named bench_…, dropped and created afresh, then migrated.
import postgres from 'postgres';
import { runMigrations } from '../../src/platform/db/migrate';

export const DEFAULT_BENCH_SERVER = 'postgres://postgres@127.0.0.1:5432';

/** Drops and recreates the benchmark database (never one not named bench_…), then migrates it. */
export async function freshDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  if (!/^bench_[a-z0-9_]+$/.test(name)) throw new Error(`refusing to recreate "${name}": name it bench_…`);
  const admin = postgres(Object.assign(new URL(url), { pathname: '/postgres' }).toString(), {
    max: 1,
    onnotice: () => {},
  });
  try {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  await runMigrations(url);
}

export async function timed<T>(label: string, step: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const result = await step();
  process.stderr.write(`${label.padEnd(28)} ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  return result;
}
