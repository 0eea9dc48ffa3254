// Finding 8 of the attack round: a database superuser turned the triggers off, edited `causes`,
// backdated `recorded_at`, recomputed the plain SHA-256 chain and the head, and ledger:verify
// passed. The chain is now keyed by a ledger key the database does not hold, verify checks every
// column and a published anchor, and the service can run as a role that only appends to the ledger.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { legacyEntryHash, GENESIS_HASH } from '../../src/ledger/hash';
import type { LedgerKeys } from '../../src/ledger/keys';
import { recomputeDirty } from '../../src/ledger/recompute';
import { sealLegacyEntries } from '../../src/ledger/seal';
import { formatAnchor, verifyLedger } from '../../src/ledger/verify';
import { runCommand } from '../../src/app/cli/command';
import { databaseCommands } from '../../src/app/cli/commands/database';
import { createRoot } from '../../src/app/root';
import { connectDatabase } from '../../src/platform/db/client';
import { grantServiceRole } from '../../src/platform/db/roles';
import { pgError } from '../../src/platform/db/sql';
import type { Workspace } from '../../src/platform/db/schema';
import { loadScenario } from '../../src/scenarios/load';
import { scenarioFile } from '../../src/scenarios/schema';
import { useTestDatabase } from '../support/database';
import { testLedgerKeys } from '../support/ledger-keys';
import { testLogger } from '../support/logger';
import { testRoot } from '../support/root';

const database = useTestDatabase();
const repo = path.join(__dirname, '..', '..');

const events = [
  { at: '2026-03-01T09:00:00Z', type: 'contact', id: 'C1', email: 'dana@acme.example' },
  {
    at: '2026-03-02T15:00:00Z',
    type: 'chat',
    id: 'chat-1',
    teamId: 'sales',
    agentId: 'a1',
    email: 'dana@acme.example',
  },
  {
    at: '2026-03-02T16:00:00Z',
    type: 'opportunity',
    id: 'O1',
    amount: 100000,
    stageName: 'Prospecting',
    isClosed: false,
    isWon: false,
  },
  { at: '2026-03-02T16:00:05Z', type: 'contactRole', id: 'R1', opportunityId: 'O1', contactId: 'C1' },
  {
    at: '2026-03-04T17:30:00Z',
    type: 'opportunity',
    id: 'O1',
    amount: 150000,
    stageName: 'Closed Won',
    isClosed: true,
    isWon: true,
  },
];

const recompute = (ws: Workspace, keys: LedgerKeys = testLedgerKeys, db = database.db) =>
  recomputeDirty({ db, logger: testLogger, batchSize: 50, ledgerKeys: keys }, ws.id);

async function seeded(slug: string, keys: LedgerKeys = testLedgerKeys): Promise<Workspace> {
  const ws = await loadScenario(
    database.db,
    slug,
    scenarioFile.parse({ workspace: { timezone: 'UTC', attributionWindowDays: 90 }, events }),
  );
  await recompute(ws, keys);
  return ws;
}

const problemsOf = async (ws: Workspace, keys: LedgerKeys = testLedgerKeys) =>
  (await verifyLedger(database, ws, { keys })).problems;

/**
 * The attack as the round ran it: triggers off, causes emptied, recorded_at a week earlier, then
 * the whole chain and its head recomputed with plain SHA-256, as the old code hashed it.
 * `downgrade` also marks every entry as plain SHA-256 (the attacker knows the new column).
 */
async function tamper(ws: Workspace, opts: { downgrade: boolean; fromSeq?: number }) {
  await database.sql.begin(async (tx) => {
    await tx`alter table ledger_entries disable trigger user`;
    await tx`update ledger_entries set causes = '{"versions": [], "conversations": []}'::jsonb,
               recorded_at = recorded_at - interval '7 days'
             where workspace_id = ${ws.id} and seq >= ${opts.fromSeq ?? 1}`;
    if (opts.downgrade) await tx`update ledger_entries set hash_key_id = null where workspace_id = ${ws.id}`;
    const rows = await tx`
      select seq::int, opportunity_id, measure, effective_day::text, amount::text, currency, reason, correction, causes,
             (extract(epoch from recorded_at) * 1000)::bigint::text as recorded_ms, engine_version, revision,
             batch_id::text
      from ledger_entries where workspace_id = ${ws.id} order by seq`;
    let prev = GENESIS_HASH;
    for (const r of rows) {
      const hash = legacyEntryHash(prev, {
        workspaceId: ws.id,
        seq: r.seq,
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
      await tx`update ledger_entries set prev_hash = ${prev}, hash = ${hash} where workspace_id = ${ws.id} and seq = ${r.seq}`;
      prev = hash;
    }
    await tx`update ledger_heads set hash = ${prev}, hash_key_id = null where workspace_id = ${ws.id}`;
    await tx`alter table ledger_entries enable trigger user`;
  });
}

function ledgerVerifyCli(args: string[]): Promise<{ code: number | null; out: string }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ledger-verify-'));
  const child = spawn(process.execPath, ['scripts/run.js', 'src/app/cli/ledger-verify.ts', ...args], {
    cwd: repo,
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: database.url, LOCAL_SALESFORCE: 'off', DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      rmSync(dataDir, { recursive: true, force: true });
      resolve({ code, out });
    }),
  );
}

describe('ledger tampering by a database superuser', () => {
  it('fails ledger:verify after causes are edited, recorded_at backdated and the plain SHA-256 chain recomputed', async () => {
    const ws = await seeded('tamper-cli');
    const anchorFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'anchor-')), 'anchors.jsonl');
    const before = await ledgerVerifyCli(['--workspace', ws.slug, '--anchor', '--anchor-file', anchorFile]);
    expect(before.out).toMatch(/verified: 3 entries, hash chain intact/);
    const anchor = /anchor (\d+:[0-9a-f]{64})/.exec(before.out)![1]!;
    expect(JSON.parse(readFileSync(anchorFile, 'utf8').trim())).toMatchObject({ workspace: ws.slug, anchor });
    expect(before.code).toBe(0);

    await tamper(ws, { downgrade: false });
    const after = await ledgerVerifyCli(['--workspace', ws.slug, '--expect-anchor', anchor]);
    expect(after.out).toMatch(
      /entry 1 \(opportunity O1, pipeline, 2026-03-02, 100000.00\) was changed after it was recorded/,
    );
    expect(after.out).toMatch(/the anchor 3:[0-9a-f]+ does not match: entry 3 now has hash/);
    expect(after.code).toBe(1);
  }, 120_000); // two runs of the CLI, each a process of its own

  it('fails when the attacker also marks every entry as plain SHA-256 and deletes nothing else', async () => {
    const ws = await seeded('tamper-downgrade');
    expect(await problemsOf(ws)).toEqual([]);
    await tamper(ws, { downgrade: true });
    expect((await problemsOf(ws)).join('\n')).toMatch(
      /entries 1 to 3 are hashed with plain SHA-256 \(recorded before ledger keys\) and not sealed/,
    );
  });

  it('finds causes given an extra key, and recorded_at moved by less than a millisecond', async () => {
    const ws = await seeded('tamper-columns');
    await database.sql.begin(async (tx) => {
      await tx`alter table ledger_entries disable trigger user`;
      await tx`update ledger_entries set causes = causes || '{"note": "x"}'::jsonb where workspace_id = ${ws.id} and seq = 1`;
      await tx`update ledger_entries set recorded_at = recorded_at + interval '3 microseconds' where workspace_id = ${ws.id} and seq = 2`;
      await tx`alter table ledger_entries enable trigger user`;
    });
    const problems = (await problemsOf(ws)).join('\n');
    expect(problems).toMatch(
      /entry 1: its causes were changed after it was recorded \(unexpected keys: conversations, note, versions\)/,
    );
    expect(problems).toMatch(/entry 2: its recorded_at was changed after it was recorded/);
  });

  it('finds a chain cut back to an earlier entry, head and all, through the published anchor', async () => {
    const ws = await seeded('tamper-cut');
    const { head } = await verifyLedger(database, ws, { keys: testLedgerKeys });
    await database.sql.begin(async (tx) => {
      await tx`alter table ledger_entries disable trigger user`;
      await tx`delete from ledger_entries where workspace_id = ${ws.id} and seq = 3`;
      await tx`update ledger_heads set seq = 2, hash = (select hash from ledger_entries where workspace_id = ${ws.id} and seq = 2) where workspace_id = ${ws.id}`;
      await tx`alter table ledger_entries enable trigger user`;
    });
    const { problems } = await verifyLedger(database, ws, { keys: testLedgerKeys, expectAnchor: head });
    expect(problems).toContain(
      `the anchor ${formatAnchor(head)} names entry 3, but the chain ends at entry 2: entries were removed`,
    );
  });

  it('verifies entries under rotated keys while each key is configured, and names a missing one', async () => {
    const key = (id: string) => [id, randomBytes(32)] as const;
    const [a, b] = [key('a'), key('b')];
    const ws = await seeded('rotation', { activeKeyId: 'a', keys: new Map([a]), development: false });
    // A later amount change, booked after the rotation under key b.
    await loadScenario(
      database.db,
      'rotation',
      scenarioFile.parse({
        workspace: { timezone: 'UTC', attributionWindowDays: 90 },
        events: [{ ...events[4], at: '2026-03-06T10:00:00Z', amount: 160000 }],
      }),
    );
    const rotated = { activeKeyId: 'b', keys: new Map([a, b]), development: false };
    await recompute(ws, rotated);
    const keyIds = await database.db.execute<{ hash_key_id: string }>(
      sql`select distinct hash_key_id from ledger_entries where workspace_id = ${ws.id} order by 1`,
    );
    expect(keyIds.map((k) => k.hash_key_id)).toEqual(['a', 'b']);
    const current = ws;
    expect(await problemsOf(current, rotated)).toEqual([]);
    expect(
      (await problemsOf(current, { activeKeyId: 'b', keys: new Map([b]), development: false })).join('\n'),
    ).toMatch(/entry 1 is signed with ledger key "a", which is not configured/);
  });

  it('trusts entries from before ledger keys once sealed, and finds them rewritten after the seal', async () => {
    // Entries as the old code wrote them: plain SHA-256, no key id, no seal.
    const ws = await seeded('legacy');
    await tamper(ws, { downgrade: true, fromSeq: 99 });
    expect((await problemsOf(ws)).join('\n')).toMatch(/entries 1 to 3 .* not sealed/);
    expect(await sealLegacyEntries(database, ws.id, testLedgerKeys)).toMatchObject({ seq: 3 });
    expect(await problemsOf(ws)).toEqual([]);

    await tamper(ws, { downgrade: true });
    expect((await problemsOf(ws)).join('\n')).toMatch(
      /entry 3 no longer has the hash it was sealed with: the plain SHA-256 entries were rewritten/,
    );
  });
});

describe('the service role', () => {
  const role = `attr_service_${randomBytes(4).toString('hex')}`;
  let service: ReturnType<typeof connectDatabase>;
  let asRole: postgres.Sql;
  let roleUrl: string;
  const refused = (p: Promise<unknown>) =>
    p.then(
      () => 'allowed',
      (e) => `${pgError(e)?.code}: ${pgError(e)?.message}`,
    );

  beforeAll(async () => {
    const { password } = await grantServiceRole(database.url, role);
    const url = new URL(database.url);
    url.username = role;
    url.password = password!;
    roleUrl = url.toString();
    service = connectDatabase(roleUrl, { max: 2 });
    asRole = service.sql;
  });
  afterAll(async () => {
    await service?.close();
    await database.sql.unsafe(`drop owned by ${role}`);
    await database.sql.unsafe(`drop role ${role}`);
  });

  it('appends to the ledger and reads it, as the service does', async () => {
    const ws = await loadScenario(
      database.db,
      'as-service-role',
      scenarioFile.parse({ workspace: { timezone: 'UTC', attributionWindowDays: 90 }, events }),
    );
    const outcome = await recompute(ws, testLedgerKeys, service.db);
    expect(outcome.entries).toBe(3);
    const [n] = await asRole`select count(*)::int as n from ledger_entries where workspace_id = ${ws.id}`;
    expect(n!.n).toBe(3);
    expect(await problemsOf(ws)).toEqual([]);
  });

  it('opens the database as the role, the migrations and grants run as DATABASE_MIGRATION_URL', async () => {
    const root = createRoot({
      role: 'cli',
      quiet: true,
      env: { NODE_ENV: 'test', DATABASE_URL: roleUrl, DATABASE_MIGRATION_URL: database.url, LOCAL_SALESFORCE: 'off' },
    });
    try {
      const opened = await root.database();
      const [who] = await opened.sql`select current_user as name`;
      expect(who!.name).toBe(role);
    } finally {
      await root.close();
    }
  });

  it('is brought up to date by `npm run cli -- db:roles`, which prints a password only when it creates the role', async () => {
    const lines: string[] = [];
    await runCommand(
      databaseCommands.find((c) => c.name === 'db:roles')!,
      { root: testRoot(database), out: (l) => lines.push(l) },
      { role },
    );
    expect(lines).toEqual([
      `role ${role}: SELECT, INSERT, UPDATE, DELETE on the service's tables; only SELECT and INSERT on the ledger`,
    ]);
  });

  it('is refused UPDATE, DELETE, TRUNCATE, and dropping or disabling the ledger triggers', async () => {
    expect(await refused(asRole`update ledger_entries set amount = 0`)).toMatch(
      /^42501: permission denied for table ledger_entries/,
    );
    expect(await refused(asRole`delete from ledger_entries`)).toMatch(/^42501: permission denied/);
    expect(await refused(asRole`truncate ledger_entries`)).toMatch(/^42501: permission denied/);
    expect(await refused(asRole`drop trigger ledger_entries_no_update_delete on ledger_entries`)).toMatch(
      /^42501: must be owner of (relation|table) ledger_entries/,
    );
    expect(await refused(asRole`alter table ledger_entries disable trigger user`)).toMatch(/^42501: must be owner/);
    expect(await refused(asRole`set session_replication_role = replica`)).toMatch(/^42501: permission denied/);
    expect(await refused(asRole`update ledger_seals set mac = ''`)).toMatch(/^42501: permission denied/);
    expect(await refused(asRole`drop table ledger_entries`)).toMatch(/^42501: must be owner/);
  });
});
