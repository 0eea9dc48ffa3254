// CPU seconds of the processes a benchmark step keeps busy: this one, the Salesforce double, and
// the PostgreSQL backends serving this database. On a shared, loaded machine wall time mostly
// measures the neighbours; CPU time says what the step itself cost. Linux only (/proc).
import { readFileSync } from 'node:fs';
import type postgres from 'postgres';

/** USER_HZ: the unit of /proc/<pid>/stat's times, 100 on Linux. */
const TICKS_PER_SECOND = 100;

function procCpuSeconds(pid: number): number {
  try {
    // Fields after the command (which may hold spaces) start after its closing parenthesis.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0; // gone, or not Linux
  }
}

export interface CpuSnapshot {
  service: number;
  double: number;
  postgres: Map<number, number>;
}

export async function cpuSnapshot(sql: postgres.Sql, doublePid: number | undefined): Promise<CpuSnapshot> {
  const usage = process.cpuUsage();
  const backends = await sql<{ pid: number }[]>`select pid from pg_stat_activity where datname = current_database()`;
  return {
    service: (usage.user + usage.system) / 1e6,
    double: doublePid ? procCpuSeconds(doublePid) : 0,
    postgres: new Map(backends.map((b) => [b.pid, procCpuSeconds(b.pid)])),
  };
}

/** CPU seconds spent between two snapshots, per side (backends that appeared meanwhile count whole). */
export function cpuSpent(
  before: CpuSnapshot,
  after: CpuSnapshot,
): { service: number; double: number; postgres: number } {
  let pg = 0;
  for (const [pid, seconds] of after.postgres) pg += seconds - (before.postgres.get(pid) ?? 0);
  const r = (x: number) => Math.round(x * 10) / 10;
  return { service: r(after.service - before.service), double: r(after.double - before.double), postgres: r(pg) };
}
