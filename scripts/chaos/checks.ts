// What the chaos round checks afterwards: every version stored exactly once (the same as a clean
// sync), every chat once, the ledger verified and equal to the clean one, the dashboard equal,
// no post answered an error, no worker died of its own.
import { isDeepStrictEqual } from 'node:util';
import type { LedgerKeys } from '../../src/ledger/keys';
import { verifyLedger } from '../../src/ledger/verify';
import type { Database } from '../../src/platform/db/client';
import type { Workspace } from '../../src/platform/db/schema';
import type { ChaosChat } from './org';

export interface CheckContext {
  db: Database;
  chaos: Workspace;
  clean: Workspace;
  chats: ChaosChat[];
  posted: Set<string>;
  oracleOutcome: string;
  keys: LedgerKeys;
  apiUrl: string;
  chaosKey: string;
  cleanKey: string;
  failedPosts: string[];
  diedAlone: string[];
}

export interface CheckResult {
  name: string;
  ok: boolean;
  detail?: string;
}

const VERSIONED = [
  ['opportunity_versions', 'opportunity_id'],
  ['contact_versions', 'contact_id'],
  ['contact_role_versions', 'contact_role_id'],
  ['lead_versions', 'lead_id'],
] as const;

export async function runChecks(c: CheckContext): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const check = async (name: string, fn: () => Promise<string | null>) => {
    try {
      const problem = await fn();
      results.push(problem ? { name, ok: false, detail: problem } : { name, ok: true });
    } catch (err) {
      results.push({ name, ok: false, detail: `threw: ${(err as Error).message}` });
    }
  };
  const { sql } = c.db;

  await check('the clean sync (the oracle) finished ok', async () =>
    c.oracleOutcome === 'ok' ? null : `outcome ${c.oracleOutcome}`,
  );
  for (const [table, id] of VERSIONED) {
    await check(`${table}: every version exactly once, as a clean sync stores them`, async () => {
      const of = async (ws: string) =>
        (
          await sql.unsafe<{ k: string }[]>(
            `select ${id} || '|' || version_id || '|' || is_deleted::text as k from ${table} where workspace_id = $1 order by 1`,
            [ws],
          )
        ).map((r) => r.k);
      const [a, b] = [await of(c.chaos.id), await of(c.clean.id)];
      if (new Set(a).size !== a.length) return `${a.length - new Set(a).size} versions stored twice`;
      return isDeepStrictEqual(a, b)
        ? null
        : `${a.length} versions, the clean sync has ${b.length}; ${firstDiff(a, b)}`;
    });
  }
  await check('conversations: every posted chat once', async () => {
    const [row] = await sql<{ n: number; distinct: number }[]>`
      select count(*)::int as n, count(distinct id)::int as distinct from conversations where workspace_id = ${c.chaos.id}`;
    if (c.posted.size !== c.chats.length) return `only ${c.posted.size} of ${c.chats.length} chats were accepted`;
    return row!.n === c.chats.length && row!.distinct === c.chats.length
      ? null
      : `${row!.n} rows (${row!.distinct} distinct ids) for ${c.chats.length} chats`;
  });
  await check('no duplicate post answered an error', async () =>
    c.failedPosts.length === 0 ? null : `${c.failedPosts.length} failed; first: ${c.failedPosts[0]}`,
  );
  await check('no worker died of its own', async () =>
    c.diedAlone.length === 0 ? null : `${c.diedAlone.length}; first: ${c.diedAlone[0]}`,
  );
  for (const ws of [c.chaos, c.clean]) {
    await check(`ledger:verify of "${ws.slug}"`, async () => {
      const { problems } = await verifyLedger(c.db, ws, { keys: c.keys });
      return problems.length === 0 ? null : problems.slice(0, 3).join('; ');
    });
  }
  await check('the ledger equals the clean sync', async () => {
    const of = async (ws: string) =>
      (
        await sql<{ k: string }[]>`
          select opportunity_id || '|' || measure || '|' || effective_day::text || '|' || sum(amount)::text as k
          from ledger_entries where workspace_id = ${ws}
          group by opportunity_id, measure, effective_day having sum(amount) <> 0 order by 1`
      ).map((r) => r.k);
    const [a, b] = [await of(c.chaos.id), await of(c.clean.id)];
    return isDeepStrictEqual(a, b) ? null : firstDiff(a, b);
  });
  await check('the dashboard equals the clean sync', async () => {
    const read = async (key: string) => {
      const res = await fetch(`${c.apiUrl}/api/v1/dashboard?from=2026-01-01&to=2026-12-31&granularity=week`, {
        headers: { authorization: `Bearer ${key}` },
      });
      if (res.status !== 200) throw new Error(`GET /api/v1/dashboard answered ${res.status}`);
      return (await res.json()) as unknown;
    };
    const [a, b] = [await read(c.chaosKey), await read(c.cleanKey)];
    return isDeepStrictEqual(a, b)
      ? null
      : `differs: ${JSON.stringify(a).slice(0, 150)} vs ${JSON.stringify(b).slice(0, 150)}`;
  });
  return results;
}

function firstDiff(a: string[], b: string[]): string {
  const setB = new Set(b);
  const setA = new Set(a);
  const extra = a.find((k) => !setB.has(k));
  const missing = b.find((k) => !setA.has(k));
  return `first extra: ${extra ?? 'none'}, first missing: ${missing ?? 'none'}`;
}
