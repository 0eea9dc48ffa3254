import { sql } from 'drizzle-orm';
import { recordChangedVersions } from '../../src/history/record-changes';
import type { NewContactVersion } from '../../src/history/record';
import { createWorkspace } from '../../src/workspaces/workspaces';
import { useTestDatabase } from '../support/database';

const database = useTestDatabase();
const contact = (at: string, email: string | null, extra: Partial<NewContactVersion> = {}): NewContactVersion => ({
  versionId: `K1@${at}`,
  occurredAt: new Date(at),
  isDeleted: false,
  source: 'salesforce:Contact',
  contactId: 'K1',
  email,
  ...extra,
});
const stored = async (workspaceId: string) =>
  (
    await database.db.execute<{ version_id: string }>(
      sql`select version_id from contact_versions where workspace_id = ${workspaceId} order by occurred_at, seq`,
    )
  ).map((r) => r.version_id);

describe('recording only versions that change something', () => {
  it('skips a re-read of the same state and keeps real changes', async () => {
    const ws = await createWorkspace(database.db, { slug: 'changes' });
    const write = (rows: NewContactVersion[]) =>
      database.db.transaction((tx) => recordChangedVersions(tx, ws.id, 'contact', rows));
    expect(await write([contact('2026-03-01T09:00:00Z', 'a@x.example')])).toBe(1);
    // Same state at a later SystemModstamp (an unrelated field changed): nothing to record.
    expect(await write([contact('2026-03-02T09:00:00Z', 'a@x.example')])).toBe(0);
    expect(
      await write([contact('2026-03-03T09:00:00Z', 'b@x.example'), contact('2026-03-04T09:00:00Z', 'b@x.example')]),
    ).toBe(1);
    expect(await write([contact('2026-03-05T09:00:00Z', 'b@x.example', { isDeleted: true })])).toBe(1);
    expect(await stored(ws.id)).toEqual([
      'K1@2026-03-01T09:00:00Z',
      'K1@2026-03-03T09:00:00Z',
      'K1@2026-03-05T09:00:00Z',
    ]);
  });

  it('compares a late version with the state in effect at its own instant, not the latest', async () => {
    const ws = await createWorkspace(database.db, { slug: 'late-version' });
    const write = (rows: NewContactVersion[]) =>
      database.db.transaction((tx) => recordChangedVersions(tx, ws.id, 'contact', rows));
    await write([contact('2026-03-01T09:00:00Z', 'a@x.example'), contact('2026-03-10T09:00:00Z', 'c@x.example')]);
    // Arriving late: equal to the latest state, but a change from what held on 5 March.
    expect(await write([contact('2026-03-05T09:00:00Z', 'c@x.example')])).toBe(1);
    // And a batch whose later row returns to a state stored in between is kept too.
    expect(
      await write([contact('2026-03-02T09:00:00Z', 'a@x.example'), contact('2026-03-06T09:00:00Z', 'a@x.example')]),
    ).toBe(1);
    expect(await stored(ws.id)).toEqual([
      'K1@2026-03-01T09:00:00Z',
      'K1@2026-03-05T09:00:00Z',
      'K1@2026-03-06T09:00:00Z',
      'K1@2026-03-10T09:00:00Z',
    ]);
  });
});

describe('a field synced since a version was recorded', () => {
  it('fills in OwnerId and Lead Status when the same version is read again, adding no version', async () => {
    const ws = await createWorkspace(database.db, { slug: 'filled-in' });
    const at = new Date('2026-03-01T09:00:00Z');
    const opportunity = (ownerId: string | null) => ({
      versionId: 'O1@2026-03-01T09:00:00Z',
      occurredAt: at,
      isDeleted: false,
      source: 'salesforce:Opportunity',
      opportunityId: 'O1',
      amount: '100.00',
      stageName: 'Prospecting',
      isClosed: false,
      isWon: false,
      ownerId,
    });
    const lead = (status: string | null) => ({
      versionId: 'L1@2026-03-01T09:00:00Z',
      occurredAt: at,
      isDeleted: false,
      source: 'salesforce:Lead',
      leadId: 'L1',
      email: 'l@x.example',
      status,
      createdDate: status ? at : null,
    });
    await database.db.transaction(async (tx) => {
      await recordChangedVersions(tx, ws.id, 'opportunity', [opportunity(null)]);
      await recordChangedVersions(tx, ws.id, 'lead', [lead(null)]);
    });
    await database.db.transaction(async (tx) => {
      await recordChangedVersions(tx, ws.id, 'opportunity', [opportunity('005A')]);
      await recordChangedVersions(tx, ws.id, 'lead', [lead('Working - Contacted')]);
      // Never overwritten once known.
      await recordChangedVersions(tx, ws.id, 'opportunity', [opportunity('005B')]);
    });
    const rows = await database.db.execute(sql`
      select (select array_agg(owner_id) from opportunity_versions where workspace_id = ${ws.id}) as owners,
             (select array_agg(status) from lead_versions where workspace_id = ${ws.id}) as statuses,
             (select count(*)::int from lead_versions where workspace_id = ${ws.id} and created_date is not null) as created`);
    expect(rows).toEqual([{ owners: ['005A'], statuses: ['Working - Contacted'], created: 1 }]);
  });
});
