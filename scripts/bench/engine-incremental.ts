// The engine's incremental recompute as the service runs it: the history of N opportunities read
// from PostgreSQL (loadHistory: their versions, roles, contacts, leads, field history and the
// chats sharing an email), then the engine on it. The floor is the engine alone on the same
// history, already in memory: what is left is the cost of extraction.
import { sql } from 'drizzle-orm';
import type postgres from 'postgres';
import { attribute } from '../../src/attribution/engine';
import { loadHistory } from '../../src/history/load';
import type { Db } from '../../src/platform/db/client';
import type { Workspace } from '../../src/platform/db/schema';
import { cpuSnapshot, cpuSpent } from './cpu';
import { round } from './measure';
import { Random } from './prng';

/** Runs of each step; the median is reported (one sample of ~100 ms on a shared machine is noise). */
const REPEATS = 5;

export interface EngineIncrementalFigures {
  opportunities: number;
  events: number;
  /** loadHistory then the engine, median of the runs. */
  ms: number;
  extractMs: number;
  /** The floor: the engine alone on the loaded history. */
  engineMs: number;
  ratio: number;
  /**
   * CPU milliseconds per run (loadHistory and the engine), of this process and of the PostgreSQL
   * backends: on a loaded machine wall time mostly measures the neighbours.
   */
  cpuMs: { service: number; postgres: number };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const msSince = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

/** `count` opportunities of the workspace drawn with the seed, ascending (as a dirty batch is claimed). */
export async function sampleOpportunities(db: Db, workspaceId: string, count: number, seed: number) {
  const rows = await db.execute<{ id: string }>(sql`
    select distinct opportunity_id as id from opportunity_versions where workspace_id = ${workspaceId}
    order by 1`);
  const all = rows.map((r) => r.id);
  return new Random(seed)
    .sample(all.length, Math.min(count, all.length))
    .map((i) => all[i]!)
    .sort();
}

export async function measureEngineIncremental(
  db: Db,
  pg: postgres.Sql,
  workspace: Workspace,
  ids: string[],
): Promise<EngineIncrementalFigures> {
  const cpuBefore = await cpuSnapshot(pg, undefined);
  const settings = { timeZone: workspace.timeZone, attributionWindowDays: workspace.attributionWindowDays };
  const totals: number[] = [];
  const extracts: number[] = [];
  const engines: number[] = [];
  let events = 0;
  for (let run = 0; run < REPEATS; run++) {
    const t0 = process.hrtime.bigint();
    const history = await loadHistory(db, workspace.id, ids);
    const extractMs = msSince(t0);
    const t1 = process.hrtime.bigint();
    attribute(history, settings, { opportunityIds: ids });
    const engineMs = msSince(t1);
    totals.push(extractMs + engineMs);
    extracts.push(extractMs);
    engines.push(engineMs);
    events =
      history.opportunities.length +
      history.contactRoles.length +
      history.contacts.length +
      history.leads.length +
      history.chats.length;
  }
  const cpu = cpuSpent(cpuBefore, await cpuSnapshot(pg, undefined));
  const ms = median(totals);
  const engineMs = median(engines);
  return {
    opportunities: ids.length,
    events,
    ms: round(ms),
    extractMs: round(median(extracts)),
    engineMs: round(engineMs),
    ratio: round(ms / Math.max(engineMs, 1e-3)),
    cpuMs: {
      service: Math.round((cpu.service * 1000) / REPEATS),
      postgres: Math.round((cpu.postgres * 1000) / REPEATS),
    },
  };
}
