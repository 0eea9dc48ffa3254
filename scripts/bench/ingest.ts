// Benchmarks conversation ingestion: --conversations chats in batches of --batch, POSTed to
// /api/v1/conversations of the API process --concurrency at a time, against the floor: COPY of
// the same rows (conversations and their emails) into a scratch schema of the same tables.
// Progress goes to stderr; the last line on stdout is one JSON object.
import os from 'node:os';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { createApiKey } from '../../src/access/api-keys';
import * as schema from '../../src/platform/db/schema';
import { createWorkspaces, TEAMS } from './api-data';
import { startApiProcess } from './api-service';
import { freshDatabase, timed } from './bench-db';
import { Random } from './prng';

interface Chat {
  id: string;
  teamId: string;
  agentId: string;
  startedAt: string;
  endedAt: string;
  emails: string[];
  rating: number;
  status: 'answered';
}

function options() {
  const { values } = parseArgs({
    options: {
      conversations: { type: 'string', default: '100000' },
      workspaces: { type: 'string', default: '10' },
      batch: { type: 'string', default: '1000' },
      concurrency: { type: 'string', default: '4' },
      seed: { type: 'string', default: '7' },
      database: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/bench_ingest' },
      redis: { type: 'string', default: 'redis://127.0.0.1:6379' },
    },
  });
  const o = {
    conversations: Number(values.conversations),
    workspaces: Number(values.workspaces),
    batch: Number(values.batch),
    concurrency: Number(values.concurrency),
    seed: Number(values.seed),
    database: values.database,
    redis: values.redis,
  };
  if (
    ![o.conversations, o.workspaces, o.batch, o.concurrency].every((x) => Number.isInteger(x) && x > 0) ||
    o.batch > 1000
  ) {
    console.error(
      'usage: npm run --silent bench:ingest [-- --conversations 100000] [--workspaces 10] [--batch 1000 (at most)] [--concurrency 4]',
    );
    process.exit(2);
  }
  return o;
}

/** Batches of chats, each for one workspace, round-robin over the workspaces. */
function batchesOf(o: ReturnType<typeof options>, workspaceIds: string[]): { workspaceId: string; chats: Chat[] }[] {
  const random = new Random(o.seed);
  const out: { workspaceId: string; chats: Chat[] }[] = [];
  const start = Date.UTC(2026, 0, 1);
  for (let n = 0, b = 0; n < o.conversations; b++) {
    const chats: Chat[] = [];
    for (let i = 0; i < o.batch && n < o.conversations; i++, n++) {
      const at = start + random.int(90 * 86_400) * 1000;
      chats.push({
        id: `chat-${n}`,
        teamId: random.pick(TEAMS),
        agentId: `agent-${random.int(20)}`,
        startedAt: new Date(at).toISOString(),
        endedAt: new Date(at + 600_000).toISOString(),
        emails: [`visitor${n}@example.com`],
        rating: random.int(4),
        status: 'answered',
      });
    }
    out.push({ workspaceId: workspaceIds[b % workspaceIds.length]!, chats });
  }
  return out;
}

async function postAll(
  url: string,
  keys: Map<string, string>,
  batches: ReturnType<typeof batchesOf>,
  concurrency: number,
) {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < batches.length; i = next++) {
      const b = batches[i]!;
      const res = await fetch(`${url}/api/v1/conversations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${keys.get(b.workspaceId)!}`, 'content-type': 'application/json' },
        body: JSON.stringify({ conversations: b.chats }),
      });
      if (!res.ok) throw new Error(`POST /api/v1/conversations: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** The floor: the same rows COPY'd into empty copies of the two tables (indexes included). */
async function copyAll(sql: postgres.Sql, batches: ReturnType<typeof batchesOf>): Promise<void> {
  await sql`drop schema if exists bench_floor cascade`;
  await sql`create schema bench_floor`;
  await sql`create table bench_floor.conversations (like public.conversations including all)`;
  await sql`create table bench_floor.conversation_emails (like public.conversation_emails including all)`;
  const conversations = function* () {
    for (const b of batches) {
      yield b.chats
        .map(
          (c) =>
            `${b.workspaceId}\t${c.id}\t${c.teamId}\t${c.agentId}\t${c.startedAt}\t${c.endedAt}\t{${c.emails.join(',')}}\t${c.rating}\t${c.status}\n`,
        )
        .join('');
    }
  };
  const emails = function* () {
    for (const b of batches) yield b.chats.map((c) => `${b.workspaceId}\t${c.id}\t${c.emails[0]}\n`).join('');
  };
  await pipeline(
    Readable.from(conversations()),
    await sql`copy bench_floor.conversations (workspace_id, id, team_id, agent_id, started_at, ended_at, emails, rating, status) from stdin`.writable(),
  );
  await pipeline(
    Readable.from(emails()),
    await sql`copy bench_floor.conversation_emails (workspace_id, conversation_id, email_normalized) from stdin`.writable(),
  );
}

async function main(): Promise<void> {
  const o = options();
  await timed('migrate', () => freshDatabase(o.database));
  const sql = postgres(o.database, { max: 4, onnotice: () => {} });
  try {
    const ids = await createWorkspaces(sql, o.workspaces);
    const db = drizzle(sql, { schema });
    const keys = new Map<string, string>();
    for (const ws of ids)
      keys.set(ws, (await createApiKey(db, ws, { name: 'bench', scopes: ['conversations:write'] })).key);
    const batches = batchesOf(o, ids);
    const api = await timed('start the API process', () => startApiProcess(o.database, o.redis));
    let seconds: number;
    try {
      const t0 = performance.now();
      await timed(`POST ${o.conversations} conversations`, () => postAll(api.url, keys, batches, o.concurrency));
      seconds = (performance.now() - t0) / 1000;
    } finally {
      await api.stop();
    }
    const t1 = performance.now();
    await timed('COPY the same rows', () => copyAll(sql, batches));
    const copySeconds = (performance.now() - t1) / 1000;
    const [stored] = await sql<{ n: number }[]>`select count(*)::int as n from conversations`;
    if (stored?.n !== o.conversations)
      throw new Error(`stored ${stored?.n} conversations, expected ${o.conversations}`);
    const r = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
    console.log(
      JSON.stringify({
        conversations: o.conversations,
        batch: o.batch,
        concurrency: o.concurrency,
        seconds: r(seconds),
        conversationsPerSecond: Math.round(o.conversations / seconds),
        copySeconds: r(copySeconds),
        copyPerSecond: Math.round(o.conversations / copySeconds),
        ratio: r(seconds / copySeconds),
        loadAverage: r(os.loadavg()[0]!, 1),
      }),
    );
  } finally {
    await sql.end();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
