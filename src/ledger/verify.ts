// Audits a workspace's ledger: the hash chain is intact over every column (keyed entries under
// their ledger key, older plain SHA-256 ones up to their seal), it passes through an anchor
// published earlier, and the ledger's sums (and the daily totals kept beside it) equal a fresh
// replay of the stored history.
import { sql } from 'drizzle-orm';
import { attribute } from '../attribution/engine';
import { formatCents, parseCents, type Cents } from '../attribution/money';
import { dailyTotals as replaySeries } from '../attribution/series';
import type { Database } from '../platform/db/client';
import type { Workspace } from '../platform/db/schema';
import { loadHistory } from '../history/load';
import { GENESIS_HASH, keyedEntryHash, legacyEntryHash, sameDigest, sealMac, type HashedFields } from './hash';
import type { LedgerKeys } from './keys';
import { ledgerSeries } from './series';

export interface VerifyReport {
  workspace: string;
  entries: number;
  /** The end of the chain as walked (not as ledger_heads says): the anchor to publish. */
  head: LedgerAnchor;
  opportunities: number;
  problems: string[];
}

export interface VerifyOptions {
  keys: LedgerKeys;
  /** An anchor published earlier: the chain must still pass through it. */
  expectAnchor?: LedgerAnchor | null;
}

const MAX_PROBLEMS = 50;

export async function verifyLedger(
  database: Database,
  workspace: Workspace,
  options: VerifyOptions,
): Promise<VerifyReport> {
  const problems: string[] = [];
  const report = (p: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push(p);
    else if (problems.length === MAX_PROBLEMS) problems.push('… more differences not shown');
  };
  const { entries, head } = await verifyChain(database, workspace.id, options, report);

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
  return { workspace: workspace.slug, entries, head, opportunities: results.length, problems };
}

/** An earlier head of the chain, published outside the database: `seq:hash`. */
export interface LedgerAnchor {
  seq: number;
  hash: string;
}

export function parseAnchor(text: string): LedgerAnchor | null {
  const m = /^(\d{1,18}):([0-9a-f]{64})$/.exec(text.trim());
  return m ? { seq: Number(m[1]), hash: m[2]! } : null;
}

export const formatAnchor = (a: LedgerAnchor): string => `${a.seq}:${a.hash}`;

/** Every column of ledger_entries, and what covers it; a column added later fails verify until it is covered. */
const COVERED_COLUMNS = [
  'workspace_id',
  'seq',
  'opportunity_id',
  'measure',
  'effective_day',
  'amount',
  'currency',
  'reason',
  'correction',
  'causes',
  'recorded_at',
  'engine_version',
  'revision',
  'batch_id',
  'prev_hash',
  'hash',
  'hash_key_id',
];

interface ChainResult {
  entries: number;
  head: LedgerAnchor;
}

async function verifyChain(
  database: Database,
  workspaceId: string,
  options: VerifyOptions,
  report: (p: string) => void,
): Promise<ChainResult> {
  const columns = await database.sql<{ column_name: string }[]>`
    select column_name from information_schema.columns
    where table_schema = current_schema() and table_name = 'ledger_entries'`;
  for (const c of columns)
    if (!COVERED_COLUMNS.includes(c.column_name))
      report(`ledger_entries has a column "${c.column_name}" that the hash chain does not cover`);

  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let prevRecordedUs = -1n;
  let lastLegacySeq = 0;
  let firstKeyedSeq = 0;
  const hashAt = new Map<number, string>();
  const anchor = options.expectAnchor ?? null;
  // recorded_at in microseconds: the hash covers milliseconds, so any finer edit shows as a remainder.
  const cursor = database.sql`
    select seq::text, opportunity_id, measure, effective_day::text, amount::text, currency, reason, correction,
           causes, (extract(epoch from recorded_at) * 1000000)::bigint::text as recorded_us, engine_version, revision,
           batch_id::text, prev_hash, hash, hash_key_id
    from ledger_entries where workspace_id = ${workspaceId} order by ledger_entries.seq`.cursor(2000);
  for await (const rows of cursor) {
    for (const r of rows) {
      const seq = Number(r.seq);
      if (seq !== expectedSeq) report(`entry ${expectedSeq} is missing from the chain (next found: ${seq})`);
      if (r.prev_hash !== prevHash) report(`entry ${seq} does not follow the entry before it (prev_hash differs)`);
      const recordedUs = BigInt(r.recorded_us);
      const causesProblem = malformedCauses(r.causes);
      if (causesProblem) report(`entry ${seq}: its causes were changed after it was recorded (${causesProblem})`);
      if (recordedUs % 1000n !== 0n || recordedUs < prevRecordedUs)
        report(`entry ${seq}: its recorded_at was changed after it was recorded`);
      prevRecordedUs = recordedUs;
      const fields: HashedFields = {
        workspaceId,
        seq,
        opportunityId: r.opportunity_id,
        measure: r.measure,
        effectiveDay: r.effective_day,
        amount: r.amount,
        currency: r.currency,
        reason: r.reason,
        correction: r.correction,
        causes: causesProblem ? { versions: [], conversations: [] } : r.causes,
        recordedAt: new Date(Number(recordedUs / 1000n)),
        engineVersion: r.engine_version,
        revision: r.revision,
        batchId: r.batch_id,
      };
      let computed: string | null;
      if (r.hash_key_id === null) {
        computed = legacyEntryHash(r.prev_hash, fields);
        lastLegacySeq = seq;
        if (firstKeyedSeq > 0)
          report(
            `entry ${seq} is hashed with plain SHA-256 after keyed entries (from entry ${firstKeyedSeq}): it was rewritten without the ledger key`,
          );
      } else {
        if (firstKeyedSeq === 0) firstKeyedSeq = seq;
        const key = options.keys.keys.get(r.hash_key_id);
        computed = key ? keyedEntryHash(key, r.hash_key_id, r.prev_hash, fields) : null;
        if (!key)
          report(
            `entry ${seq} is signed with ledger key "${r.hash_key_id}", which is not configured (LEDGER_KEYS): it cannot be checked`,
          );
      }
      if (computed !== null && !sameDigest(computed, r.hash)) {
        report(
          `entry ${seq} (opportunity ${r.opportunity_id}, ${r.measure}, ${r.effective_day}, ${r.amount}) was changed after it was recorded: its hash does not match its content`,
        );
      }
      if (anchor && seq === anchor.seq) hashAt.set(seq, r.hash);
      prevHash = r.hash;
      expectedSeq = seq + 1;
    }
  }
  const count = expectedSeq - 1;
  if (lastLegacySeq > 0) await checkSeal(database, workspaceId, lastLegacySeq, options.keys, report);

  const [head] = await database.sql`select seq::text, hash from ledger_heads where workspace_id = ${workspaceId}`;
  if (head && (Number(head.seq) !== count || head.hash !== prevHash)) {
    report(
      `the chain ends at entry ${count}, but the ledger head says ${head.seq}: entries were removed or added behind its back`,
    );
  }
  if (anchor) {
    const found = hashAt.get(anchor.seq);
    if (found === undefined)
      report(
        `the anchor ${formatAnchor(anchor)} names entry ${anchor.seq}, but the chain ends at entry ${count}: entries were removed`,
      );
    else if (found !== anchor.hash)
      report(
        `the anchor ${formatAnchor(anchor)} does not match: entry ${anchor.seq} now has hash ${found}, so the chain up to it was rewritten`,
      );
  }
  return { entries: count, head: { seq: count, hash: prevHash } };
}

/** Causes as the engine writes them: exactly `versions` and `conversations`, arrays of strings. */
function malformedCauses(causes: unknown): string | null {
  if (typeof causes !== 'object' || causes === null || Array.isArray(causes)) return 'not an object';
  const keys = Object.keys(causes).sort();
  if (keys.join(',') !== 'conversations,versions') return `unexpected keys: ${keys.join(', ')}`;
  for (const k of keys) {
    const v = (causes as Record<string, unknown>)[k];
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) return `${k} is not a list of ids`;
  }
  return null;
}

/** The plain SHA-256 entries (before ledger keys) are trusted only up to a seal made with a ledger key. */
async function checkSeal(
  database: Database,
  workspaceId: string,
  lastLegacySeq: number,
  keys: LedgerKeys,
  report: (p: string) => void,
): Promise<void> {
  const [seal] = await database.sql<{ seq: string; hash: string; key_id: string; mac: string }[]>`
    select seq::text, hash, key_id, mac from ledger_seals where workspace_id = ${workspaceId}`;
  if (!seal) {
    report(
      `entries 1 to ${lastLegacySeq} are hashed with plain SHA-256 (recorded before ledger keys) and not sealed, so a database superuser could rewrite them; once this report shows nothing else, seal them with ledger:verify --seal`,
    );
    return;
  }
  const key = keys.keys.get(seal.key_id);
  const seq = Number(seal.seq);
  if (!key) {
    report(`the seal of the plain SHA-256 entries uses ledger key "${seal.key_id}", which is not configured`);
  } else if (!sameDigest(sealMac(key, seal.key_id, workspaceId, seq, seal.hash), seal.mac)) {
    report('the seal of the plain SHA-256 entries was changed: its MAC does not match');
  } else if (seq !== lastLegacySeq) {
    report(
      `the plain SHA-256 entries were sealed at entry ${seq}, but they now run to entry ${lastLegacySeq}: entries were rewritten without the ledger key`,
    );
  } else {
    const [row] = await database.sql<{ hash: string }[]>`
      select hash from ledger_entries where workspace_id = ${workspaceId} and seq = ${seq}`;
    if (row?.hash !== seal.hash)
      report(`entry ${seq} no longer has the hash it was sealed with: the plain SHA-256 entries were rewritten`);
  }
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
