// What the worker proof checks, from the database and the workers' own log lines: each round
// every workspace synced exactly once (an `ok` run), never two runs of one org at once, no run
// lost, every worker did some of the work, a killed worker's runs were finished by the others,
// and every ledger verifies and equals every other (they all hold the same org and chats).
import { developmentLedgerKeys } from '../../src/ledger/keys';
import { verifyLedger } from '../../src/ledger/verify';
import type { Database } from '../../src/platform/db/client';
import { workspaces } from '../../src/platform/db/schema';
import type { ProofWorkspace } from './setup';

export interface CheckResult {
  name: string;
  ok: boolean;
  detail?: string;
}

export interface Round {
  n: number;
  since: Date;
  /** The trigger of its runs: the schedulers' first jobs, then manual ones. */
  trigger: string;
}

export interface WorkerLog {
  name: string;
  killed: boolean;
  /** The connection ids of its `sync finished` lines, with when. */
  finished: { connectionId: string; at: number }[];
  exitedAlone: boolean;
}

export interface ProofFacts {
  db: Database;
  workspaces: ProofWorkspace[];
  rounds: Round[];
  workers: WorkerLog[];
  /** Syncs the killed worker had logged as started and not finished when it was killed. */
  cutShort: string[];
  killedAt: number | null;
  killRound: number | null;
  failedJobs: number;
}

interface RunRow {
  connection_id: string;
  trigger: string;
  outcome: string | null;
  /** Milliseconds since the epoch (the client hands timestamps over as text). */
  started_at: number;
  finished_at: number | null;
}

export async function runChecks(f: ProofFacts): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const check = async (name: string, fn: () => Promise<string | null> | string | null) => {
    try {
      const problem = await fn();
      results.push(problem ? { name, ok: false, detail: problem } : { name, ok: true });
    } catch (err) {
      results.push({ name, ok: false, detail: `threw: ${(err as Error).message}` });
    }
  };
  const runs = await f.db.sql<RunRow[]>`
    select connection_id, trigger, outcome,
      (extract(epoch from started_at) * 1000)::float8 as started_at,
      (extract(epoch from finished_at) * 1000)::float8 as finished_at
    from salesforce_sync_runs order by started_at`;
  const byConnection = new Map<string, RunRow[]>();
  for (const r of runs) byConnection.set(r.connection_id, [...(byConnection.get(r.connection_id) ?? []), r]);
  const roundOf = (at: number) => [...f.rounds].reverse().find((r) => at >= r.since.getTime())?.n ?? 0;
  const okRuns = runs.filter((r) => r.outcome === 'ok');

  await check('every workspace synced exactly once in every round (none lost, none twice)', () => {
    const problems: string[] = [];
    for (const w of f.workspaces) {
      const mine = (byConnection.get(w.connectionId) ?? []).filter((r) => r.outcome === 'ok');
      for (const round of f.rounds) {
        const n = mine.filter((r) => roundOf(r.started_at) === round.n && r.trigger === round.trigger).length;
        if (n !== 1) problems.push(`${w.slug} round ${round.n}: ${n} ok runs`);
      }
      if (mine.length !== f.rounds.length) problems.push(`${w.slug}: ${mine.length} ok runs in all`);
    }
    return problems.length ? problems.slice(0, 10).join('; ') : null;
  });

  const interrupted = runs.filter((r) => r.outcome === 'interrupted');
  await check('no run other than ok, but those the kill cut short (interrupted, in the kill round)', () => {
    const odd = runs.filter(
      (r) => r.outcome !== 'ok' && !(r.outcome === 'interrupted' && roundOf(r.started_at) === f.killRound),
    );
    return odd.length
      ? odd
          .slice(0, 10)
          .map((r) => `${r.connection_id}: ${r.outcome}`)
          .join('; ')
      : null;
  });

  await check('never two runs of one org at once (each run starts after the previous one ended)', () => {
    const problems: string[] = [];
    for (const [connectionId, list] of byConnection) {
      for (let i = 1; i < list.length; i++) {
        const prev = list[i - 1]!;
        if (!prev.finished_at || list[i]!.started_at < prev.finished_at)
          problems.push(
            `${connectionId}: a run started at ${new Date(list[i]!.started_at).toISOString()} overlaps the one before`,
          );
      }
    }
    return problems.length ? problems.slice(0, 10).join('; ') : null;
  });

  await check('every worker ran syncs, and the runs they logged are exactly the ok runs', () => {
    const idle = f.workers.filter((w) => w.finished.length === 0).map((w) => w.name);
    if (idle.length) return `no sync finished by ${idle.join(', ')}`;
    const logged = f.workers.reduce((s, w) => s + w.finished.length, 0);
    return logged === okRuns.length ? null : `${logged} "sync finished" lines for ${okRuns.length} ok runs`;
  });

  if (f.killedAt !== null) {
    await check('the killed worker was cut short inside syncs, and the others finished each of them', () => {
      if (interrupted.length === 0) return 'the kill landed while the worker ran no sync';
      const survivors = f.workers.filter((w) => !w.killed);
      const problems: string[] = [];
      // Its log can lag its database writes (a run row is written before its line), never lead them.
      for (const id of f.cutShort)
        if (!interrupted.some((r) => r.connection_id === id)) problems.push(`${id}: in flight, yet no interrupted run`);
      for (const id of new Set(interrupted.map((r) => r.connection_id))) {
        const after = survivors.some((w) => w.finished.some((e) => e.connectionId === id && e.at > f.killedAt!));
        if (!after) problems.push(`${id}: no other worker finished it after the kill`);
      }
      return problems.length ? problems.join('; ') : null;
    });
  }

  await check('no worker died on its own; no job failed', () => {
    const died = f.workers.filter((w) => w.exitedAlone).map((w) => w.name);
    if (died.length) return `${died.join(', ')} exited on its own`;
    return f.failedJobs === 0 ? null : `${f.failedJobs} failed jobs in the queues`;
  });

  await check('every ledger verifies: chain intact, nothing pending, sums equal a fresh replay', async () => {
    const problems: string[] = [];
    const keys = developmentLedgerKeys();
    for (const ws of await f.db.db.select().from(workspaces)) {
      const report = await verifyLedger(f.db, ws, { keys });
      if (report.problems.length) problems.push(`${ws.slug}: ${report.problems.slice(0, 3).join(' | ')}`);
      if (report.entries === 0) problems.push(`${ws.slug}: an empty ledger (nothing to prove)`);
    }
    return problems.length ? problems.slice(0, 10).join('; ') : null;
  });

  await check('every workspace holds the same versions and the same booked sums (nothing booked twice)', async () => {
    const rows = await f.db.sql<{ workspace_id: string; versions: number; sums: string }[]>`
      select w.id as workspace_id,
        (select count(*)::int from opportunity_versions v where v.workspace_id = w.id) as versions,
        (select md5(coalesce(string_agg(k, ',' order by k), '')) from (
           select opportunity_id || '|' || measure || '|' || effective_day || '|' || sum(amount)::text as k
           from ledger_entries e where e.workspace_id = w.id
           group by opportunity_id, measure, effective_day having sum(amount) <> 0) s) as sums
      from workspaces w`;
    const distinct = new Set(rows.map((r) => `${r.versions}:${r.sums}`));
    return distinct.size === 1 ? null : `${distinct.size} different (versions, sums) among ${rows.length} workspaces`;
  });
  return results;
}
