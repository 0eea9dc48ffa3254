// Benchmarks GET /api/v1/accounts's report (listAccounts) and one account's timeline on a workspace
// of --accounts accounts with ten contacts each and --chats conversations over 90 days (half of
// them from a contact's email), built in SQL. The floor, timed in the same run: the one join any
// answer needs (the range's chats by email to contact versions), counted straight in PostgreSQL.
// Progress on stderr; one JSON line on stdout with medians, ratios, the benchmark process's CPU per
// list (the rest is PostgreSQL's) and the load average.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import type { Db } from '../../src/platform/db/client';
import * as schema from '../../src/platform/db/schema';
import { rebuildContactLinks } from '../../src/history/contact-links';
import { accountTimelineOf } from '../../src/reporting/account-timeline';
import { accountListQuery, listAccounts } from '../../src/reporting/accounts';
import { freshDatabase, timed } from './bench-db';

const USAGE =
  'usage: node scripts/run.js scripts/bench/accounts.ts [--accounts 2000] [--chats 200000] [--runs 5] ' +
  '[--database postgres://postgres@127.0.0.1:5432/bench_accounts]';

async function build(sql: postgres.Sql, db: Db, accounts: number, chats: number): Promise<string> {
  const [ws] = await sql<{ id: string }[]>`
    insert into workspaces (slug, name) values ('bench-accounts', 'Bench accounts') returning id`;
  const id = ws!.id;
  await sql`insert into teams (workspace_id, id, name) values (${id}, 'sales', 'Sales'), (${id}, 'support', 'Support')`;
  await sql`
    insert into account_versions (workspace_id, version_id, occurred_at, source, account_id, name)
    select ${id}, 'a' || i, '2026-01-01', 'bench', '001' || lpad(i::text, 12, '0'), 'Account ' || i
    from generate_series(1, ${accounts}) i`;
  await sql`
    insert into contact_versions (workspace_id, version_id, occurred_at, source, contact_id, name, account_id, email, email_normalized)
    select ${id}, 'k' || i, '2026-01-02', 'bench', '003' || lpad(i::text, 12, '0'), 'Contact ' || i,
           '001' || lpad((1 + i % ${accounts})::text, 12, '0'), 'c' || i || '@bench.example', 'c' || i || '@bench.example'
    from generate_series(1, ${accounts * 10}) i`;
  await sql`
    insert into opportunity_versions (workspace_id, version_id, occurred_at, source, opportunity_id, name, account_id,
                                      amount, stage_name, is_closed, is_won, created_date)
    select ${id}, 'o' || i || '-' || v, timestamptz '2026-01-10' + (i % 80 + v * 3) * interval '1 day', 'bench',
           '006' || lpad(i::text, 12, '0'), 'Deal ' || i, '001' || lpad((1 + i % ${accounts})::text, 12, '0'),
           10000 + v * 5000, case when v = 2 then 'Closed Won' else 'Prospecting' end, v = 2, v = 2, '2026-01-10'
    from generate_series(1, ${accounts * 3}) i cross join generate_series(0, 2) v`;
  await sql`
    insert into conversations (workspace_id, id, team_id, agent_id, started_at, emails, target_account)
    select ${id}, 'conv-' || i, case when i % 3 = 0 then 'support' else 'sales' end, 'agent-' || (i % 20),
           timestamptz '2026-01-01' + (i % 90) * interval '1 day' + (i % 1440) * interval '1 minute',
           array[case when i % 2 = 0 then 'c' || (1 + i % ${accounts * 10}) || '@bench.example'
                      else 'visitor' || i || '@elsewhere.example' end], i % 7 = 0
    from generate_series(1, ${chats}) i`;
  await sql`
    insert into conversation_emails (workspace_id, conversation_id, email_normalized)
    select workspace_id, id, emails[1] from conversations where workspace_id = ${id}`;
  // The versions went in around the writers, so their rollups are built here, as the writers keep them.
  await db.transaction((tx) => rebuildContactLinks(tx, id));
  await sql`analyze`;
  return id;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      accounts: { type: 'string', default: '2000' },
      chats: { type: 'string', default: '200000' },
      runs: { type: 'string', default: '5' },
      database: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/bench_accounts' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
  const accounts = Number(values.accounts);
  const chats = Number(values.chats);
  const runs = Number(values.runs);
  await timed('migrate', () => freshDatabase(values.database));
  const sql = postgres(values.database, { max: 4, onnotice: () => {} });
  const db = drizzle(sql, { schema }) as unknown as Db;
  try {
    const workspaceId = await timed('build', () => build(sql, db, accounts, chats));
    const access = { workspaceId, teams: null };
    const q = accountListQuery.parse({ from: '2026-03-01', to: '2026-03-30', limit: '50' });
    const now = new Date('2026-04-01T00:00:00Z');
    const list: number[] = [];
    const listCpu: number[] = [];
    const timeline: number[] = [];
    const floor: number[] = [];
    let listed = 0;
    for (let r = 0; r < runs; r++) {
      let t = performance.now();
      const cpu = process.cpuUsage();
      listed = (await listAccounts(db, access, q, now)).total;
      list.push(performance.now() - t);
      const used = process.cpuUsage(cpu);
      listCpu.push((used.user + used.system) / 1000);
      t = performance.now();
      await accountTimelineOf(db, access, '001000000000001', {});
      timeline.push(performance.now() - t);
      t = performance.now();
      await sql`
        select count(distinct cv.contact_id) from conversations c
        join conversation_emails e on e.workspace_id = c.workspace_id and e.conversation_id = c.id
        join contact_versions cv on cv.workspace_id = c.workspace_id and cv.email_normalized = e.email_normalized
        where c.workspace_id = ${workspaceId} and c.started_at >= '2026-03-01' and c.started_at < '2026-03-31'`;
      floor.push(performance.now() - t);
    }
    const ms = (x: number) => Math.round(x * 10) / 10;
    process.stdout.write(
      `${JSON.stringify({
        accounts,
        contacts: accounts * 10,
        chats,
        listed,
        runs,
        listMs: ms(median(list)),
        listProcessCpuMs: ms(median(listCpu)),
        timelineMs: ms(median(timeline)),
        floorMs: ms(median(floor)),
        listOverFloor: ms(median(list) / median(floor)),
        timelineOverFloor: ms(median(timeline) / median(floor)),
        loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
        cpus: os.cpus().length,
      })}\n`,
    );
  } finally {
    await sql.end();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
