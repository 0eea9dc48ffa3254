// The data bench:api reads: many workspaces, each with teams, a ledger (streamed in with COPY from
// a seeded generator), per-team influence starts, touches and conversations, then the rollups
// derived from them in SQL. Hashes and causes are placeholders: reads never verify the chain.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type postgres from 'postgres';
import { Random } from './prng';

export interface LedgerSpec {
  rows: number;
  workspaces: number;
  seed: number;
}

export const TEAMS = ['t1', 't2', 't3', 't4'] as const;
/** Ledger days run over one year; reports read its last quarter. */
const FIRST_DAY = Date.UTC(2025, 3, 1);
const DAYS = 365;
export const REPORT_RANGE = { from: '2026-01-01', to: '2026-03-31' } as const;
const ENTRIES_PER_OPPORTUNITY = 5;
const HASH = '0'.repeat(64);
const CAUSES = '{"versions":[],"conversations":[]}';

const dayText = (offset: number) => new Date(FIRST_DAY + offset * 86_400_000).toISOString().slice(0, 10);

/** Workspaces named bench-0000…, each with the four teams. Returns their ids in slug order. */
export async function createWorkspaces(sql: postgres.Sql, count: number): Promise<string[]> {
  await sql`
    insert into workspaces (slug, name)
    select 'bench-' || lpad(i::text, 4, '0'), 'Bench ' || i from generate_series(0, ${count - 1}) as i`;
  await sql`
    insert into teams (workspace_id, id, name)
    select w.id, t, 'Team ' || t from workspaces w cross join unnest(${sql.array([...TEAMS])}::text[]) as t`;
  const rows = await sql<{ id: string }[]>`select id from workspaces order by slug`;
  return rows.map((r) => r.id);
}

/** The ledger, COPY'd in: per opportunity a few entries on increasing days, mostly pipeline. */
export async function copyLedger(sql: postgres.Sql, workspaceIds: string[], spec: LedgerSpec): Promise<number> {
  const random = new Random(spec.seed);
  const perWorkspace = Math.floor(spec.rows / workspaceIds.length);
  let written = 0;
  function* lines(): Generator<string> {
    let chunk = '';
    for (const [w, workspaceId] of workspaceIds.entries()) {
      let seq = 0;
      const batchId = `00000000-0000-4000-8000-${String(w).padStart(12, '0')}`;
      for (let opp = 0; seq < perWorkspace; opp++) {
        const opportunityId = `006${String(opp).padStart(12, '0')}`;
        let day = random.int(DAYS - 60);
        const entries = Math.min(perWorkspace - seq, 1 + random.int(ENTRIES_PER_OPPORTUNITY * 2 - 1));
        for (let e = 0; e < entries; e++) {
          seq += 1;
          const measure = e > 0 && random.chance(0.2) ? 'closed_won' : 'pipeline';
          const cents = (e === 0 ? 1 : random.chance(0.3) ? -1 : 1) * (100 + random.int(5_000_000));
          const amount = `${cents < 0 ? '-' : ''}${Math.floor(Math.abs(cents) / 100)}.${String(Math.abs(cents) % 100).padStart(2, '0')}`;
          const reason = e === 0 ? 'influence_started' : measure === 'closed_won' ? 'won' : 'amount_changed';
          const effective = dayText(day);
          chunk +=
            `${workspaceId}\t${seq}\t${opportunityId}\t${measure}\t${effective}\t${amount}\tUSD\t${reason}\tf\t` +
            `${CAUSES}\t${effective} 12:00:00+00\tbench\t0\t${batchId}\t${HASH}\t${HASH}\n`;
          if (chunk.length > 1 << 16) {
            yield chunk;
            chunk = '';
          }
          day = Math.min(DAYS - 1, day + 1 + random.int(20));
          // Two entries of one measure on one day would need revisions: keep days distinct.
          if (e + 1 < entries && day === DAYS - 1) break;
        }
      }
      written += seq;
    }
    if (chunk) yield chunk;
  }
  const writable = await sql`
    copy ledger_entries (workspace_id, seq, opportunity_id, measure, effective_day, amount, currency, reason,
      correction, causes, recorded_at, engine_version, revision, batch_id, prev_hash, hash) from stdin`.writable();
  await pipeline(Readable.from(lines()), writable);
  return written;
}

/**
 * Per-team influence starts (each team touched about a third of the opportunities, up to a month
 * after the first entry), one touch and one conversation per start, the ledger heads, and the
 * daily totals of scope 'all' and of each team and the opportunities' days, as the service keeps them.
 */
export async function deriveTables(sql: postgres.Sql, seed: number): Promise<void> {
  await sql`select setseed(${(seed % 1000) / 1000})`;
  await sql`
    insert into opportunity_influence
      (workspace_id, opportunity_id, team_id, started_at, start_day, conversation_id, contact_id, contact_role_id, version_ids)
    select o.workspace_id, o.opportunity_id, t, s::timestamptz + interval '10 hours', s,
           'c-' || o.opportunity_id || '-' || t, '003' || o.opportunity_id, '00K' || o.opportunity_id, '{}'
    from (select workspace_id, opportunity_id, min(effective_day) as first_day from ledger_entries group by 1, 2) o
    cross join unnest(${sql.array([...TEAMS])}::text[]) as t
    cross join lateral (select o.first_day + (random() * 30)::int as s) d
    where random() < 0.35`;
  await sql`
    insert into opportunity_touches
      (workspace_id, opportunity_id, conversation_id, team_id, agent_id, touched_at, touch_day, contact_id, contact_role_id, version_ids)
    select workspace_id, opportunity_id, conversation_id, team_id, team_id || '-a' || (abs(hashtext(opportunity_id)) % 5),
           started_at, start_day, contact_id, contact_role_id, version_ids
    from opportunity_influence`;
  await sql`
    insert into conversations (workspace_id, id, team_id, agent_id, started_at, rating, emails)
    select workspace_id, conversation_id, team_id, agent_id, touched_at - interval '1 hour',
           (abs(hashtext(conversation_id)) % 4)::smallint, array['v-' || opportunity_id || '@example.com']
    from opportunity_touches`;
  await sql`
    insert into ledger_heads (workspace_id, seq, hash, recorded_at)
    select workspace_id, max(seq), ${HASH}, max(recorded_at) from ledger_entries group by 1`;
  await sql`
    insert into daily_totals (workspace_id, scope, day, pipeline, closed_won)
    select workspace_id, 'all', effective_day,
           coalesce(sum(amount) filter (where measure = 'pipeline'), 0), coalesce(sum(amount) filter (where measure = 'closed_won'), 0)
    from ledger_entries group by 1, 3`;
  await sql`
    insert into daily_totals (workspace_id, scope, day, pipeline, closed_won)
    select l.workspace_id, 'team:' || i.team_id, greatest(l.effective_day, i.start_day),
           coalesce(sum(l.amount) filter (where l.measure = 'pipeline'), 0),
           coalesce(sum(l.amount) filter (where l.measure = 'closed_won'), 0)
    from ledger_entries l join opportunity_influence i using (workspace_id, opportunity_id)
    group by 1, 2, 3`;
  // The per-opportunity days, as migration 0010 backfills them.
  await sql`
    insert into opportunity_days (workspace_id, opportunity_id, day, pipeline, closed_won, pipeline_to_date, closed_won_to_date)
    select workspace_id, opportunity_id, day, pipeline, closed_won, sum(pipeline) over w, sum(closed_won) over w
    from (select workspace_id, opportunity_id, effective_day as day,
                 coalesce(sum(amount) filter (where measure = 'pipeline'), 0) as pipeline,
                 coalesce(sum(amount) filter (where measure = 'closed_won'), 0) as closed_won
          from ledger_entries group by 1, 2, 3) d
    window w as (partition by workspace_id, opportunity_id order by day)`;
}
