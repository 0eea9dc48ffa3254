// Audits a workspace's ledger: the hash chain is intact, and the ledger's sums (and the daily
// totals kept beside it) equal a fresh replay of the stored history.
import { sql } from 'drizzle-orm';
import { attribute } from '../attribution/engine';
import { formatCents, parseCents, type Cents } from '../attribution/money';
import { dailyTotals as replaySeries } from '../attribution/series';
import type { Database } from '../platform/db/client';
import type { Workspace } from '../platform/db/schema';
import { loadHistory } from '../history/load';
import { entryHash, GENESIS_HASH } from './hash';
import { ledgerSeries } from './series';

export interface VerifyReport {
  workspace: string;
  entries: number;
  opportunities: number;
  problems: string[];
}

const MAX_PROBLEMS = 50;

export async function verifyLedger(database: Database, workspace: Workspace): Promise<VerifyReport> {
  const problems: string[] = [];
  const report = (p: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push(p);
    else if (problems.length === MAX_PROBLEMS) problems.push('… more differences not shown');
  };
  const entries = await verifyChain(database, workspace.id, report);

  const [pending] = await database.db.execute<{ n: number }>(
    sql`select count(*)::int as n from attribution_dirty where workspace_id = ${workspace.id}`,
  );
  if (pending && pending.n > 0)
    report(`${pending.n} opportunities are waiting to be recomputed (run the worker, then verify again)`);

  const residues = await database.db.execute<{ currency: string; n: number }>(sql`
    select currency, count(*)::int as n from (
      select currency from ledger_entries where workspace_id = ${workspace.id} and currency <> ${workspace.reportingCurrency}
      group by opportunity_id, measure, effective_day, currency having sum(amount) <> 0
    ) x group by currency`);
  for (const r of residues)
    report(
      `${r.n} day(s) still hold amounts in ${r.currency}, not the reporting currency ${workspace.reportingCurrency}`,
    );

  // The opportunities' days (the rollup every team set reads) must sum the ledger, to the cent.
  const [days] = await database.db.execute<{ n: number }>(sql`
    select count(*)::int as n from (
      select opportunity_id, effective_day as day,
             coalesce(sum(amount) filter (where measure = 'pipeline'), 0) as pipeline,
             coalesce(sum(amount) filter (where measure = 'closed_won'), 0) as closed_won,
             sum(coalesce(sum(amount) filter (where measure = 'pipeline'), 0)) over w as pipeline_to_date,
             sum(coalesce(sum(amount) filter (where measure = 'closed_won'), 0)) over w as closed_won_to_date
      from ledger_entries where workspace_id = ${workspace.id}
      group by 1, 2 window w as (partition by opportunity_id order by effective_day)
    ) l full join (select * from opportunity_days where workspace_id = ${workspace.id}) d using (opportunity_id, day)
    where (l.pipeline, l.closed_won, l.pipeline_to_date, l.closed_won_to_date)
          is distinct from (d.pipeline, d.closed_won, d.pipeline_to_date, d.closed_won_to_date)`);
  if (days && days.n > 0) report(`${days.n} opportunity day(s) differ from the ledger's sums`);

  const history = await loadHistory(database.db, workspace.id, 'all');
  const results = attribute(history, {
    timeZone: workspace.timeZone,
    attributionWindowDays: workspace.attributionWindowDays,
  });
  await compareWithReplay(database, workspace.id, results, report);

  const replayed = new Map(replaySeries(results).map((d) => [d.date, d]));
  const rollup = await ledgerSeries(database.db, workspace.id);
  compareSeries('daily totals', rollup, replayed, report);

  const teams = new Set(results.flatMap((r) => r.teamStarts.map((t) => t.teamId)));
  for (const team of [...teams].sort()) {
    const expected = replaySeries(
      attribute(
        history,
        { timeZone: workspace.timeZone, attributionWindowDays: workspace.attributionWindowDays },
        { teams: new Set([team]) },
      ),
    );
    compareSeries(
      `team "${team}" daily totals`,
      await ledgerSeries(database.db, workspace.id, { teams: [team] }),
      new Map(expected.map((d) => [d.date, d])),
      report,
    );
  }
  return { workspace: workspace.slug, entries, opportunities: results.length, problems };
}

async function verifyChain(database: Database, workspaceId: string, report: (p: string) => void): Promise<number> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  const cursor = database.sql`
    select seq::text, opportunity_id, measure, effective_day::text, amount::text, currency, reason, correction,
           causes, (extract(epoch from recorded_at) * 1000)::bigint::text as recorded_ms, engine_version, revision, batch_id::text, prev_hash, hash
    from ledger_entries where workspace_id = ${workspaceId} order by ledger_entries.seq`.cursor(2000);
  for await (const rows of cursor) {
    for (const r of rows) {
      const seq = Number(r.seq);
      if (seq !== expectedSeq) report(`entry ${expectedSeq} is missing from the chain (next found: ${seq})`);
      if (r.prev_hash !== prevHash) report(`entry ${seq} does not follow the entry before it (prev_hash differs)`);
      const computed = entryHash(r.prev_hash, {
        workspaceId,
        seq,
        opportunityId: r.opportunity_id,
        measure: r.measure,
        effectiveDay: r.effective_day,
        amount: r.amount,
        currency: r.currency,
        reason: r.reason,
        correction: r.correction,
        causes: r.causes,
        recordedAt: new Date(Number(r.recorded_ms)),
        engineVersion: r.engine_version,
        revision: r.revision,
        batchId: r.batch_id,
      });
      if (computed !== r.hash) {
        report(
          `entry ${seq} (opportunity ${r.opportunity_id}, ${r.measure}, ${r.effective_day}, ${r.amount}) was changed after it was recorded: its hash does not match its content`,
        );
      }
      prevHash = r.hash;
      expectedSeq = seq + 1;
    }
  }
  const [head] = await database.sql`select seq::text, hash from ledger_heads where workspace_id = ${workspaceId}`;
  const count = expectedSeq - 1;
  if (head && (Number(head.seq) !== count || head.hash !== prevHash)) {
    report(
      `the chain ends at entry ${count}, but the ledger head says ${head.seq}: entries were removed or added behind its back`,
    );
  }
  return count;
}

async function compareWithReplay(
  database: Database,
  workspaceId: string,
  results: ReturnType<typeof attribute>,
  report: (p: string) => void,
): Promise<void> {
  const expected = new Map<string, Cents>();
  for (const r of results) {
    for (const d of r.days) {
      if (d.pipeline) expected.set(`${r.opportunityId}|pipeline|${d.day}`, d.pipeline.delta);
      if (d.closedWon) expected.set(`${r.opportunityId}|closed_won|${d.day}`, d.closedWon.delta);
    }
  }
  const booked = await database.db.execute<{ k: string; sum: string }>(sql`
    select opportunity_id || '|' || measure || '|' || effective_day::text as k, sum(amount)::text as sum
    from ledger_entries where workspace_id = ${workspaceId} group by opportunity_id, measure, effective_day`);
  const actual = new Map(booked.map((b) => [b.k, parseCents(b.sum)]));
  for (const k of [...new Set([...expected.keys(), ...actual.keys()])].sort()) {
    const want = expected.get(k) ?? 0n;
    const have = actual.get(k) ?? 0n;
    if (want !== have) {
      const [opp, measure, day] = k.split('|');
      report(`opportunity ${opp} ${measure} on ${day}: ledger ${formatCents(have)}, replay ${formatCents(want)}`);
    }
  }
}

function compareSeries(
  what: string,
  actual: { date: string; pipelineInfluenced: Cents; closedWonInfluenced: Cents }[],
  expected: Map<string, { pipelineInfluenced: Cents; closedWonInfluenced: Cents }>,
  report: (p: string) => void,
): void {
  const got = new Map(actual.map((d) => [d.date, d]));
  for (const day of [...new Set([...got.keys(), ...expected.keys()])].sort()) {
    const a = got.get(day);
    const e = expected.get(day);
    const [ap, ac] = [a?.pipelineInfluenced ?? 0n, a?.closedWonInfluenced ?? 0n];
    const [ep, ec] = [e?.pipelineInfluenced ?? 0n, e?.closedWonInfluenced ?? 0n];
    if (ap !== ep || ac !== ec) {
      report(
        `${what} on ${day}: stored ${formatCents(ap)} / ${formatCents(ac)}, replay ${formatCents(ep)} / ${formatCents(ec)} (pipeline / closed-won)`,
      );
    }
  }
}
