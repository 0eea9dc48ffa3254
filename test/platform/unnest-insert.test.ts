// unnestInsert: one array parameter per column, values in their text forms, defaults for what no
// row gives, the conflict and returning clauses as given.
import { sql } from 'drizzle-orm';
import { opportunityTouches, opportunityVersions } from '../../src/platform/db/schema';
import { unnestInsert } from '../../src/platform/db/unnest-insert';
import { createWorkspace } from '../../src/workspaces/workspaces';
import { useTestDatabase } from '../support/database';

const database = useTestDatabase();

describe('unnestInsert', () => {
  it('writes dates, numerics, booleans and nulls exactly, and skips conflicts when asked', async () => {
    const { id: workspaceId } = await createWorkspace(database.db, { slug: 'unnest-insert' });
    const row = (versionId: string, amount: string | null, ownerId: string | null) => ({
      workspaceId,
      versionId,
      occurredAt: new Date('2026-03-02T16:00:00.123Z'),
      source: 'salesforce:OpportunityHistory',
      opportunityId: '0065g00000Opp001AAA',
      amount,
      stageName: 'Prospecting',
      isClosed: false,
      isWon: false,
      closeDate: '2026-03-04',
      ownerId,
    });
    const added = await unnestInsert<typeof opportunityVersions, { id: string }>(
      database.db,
      opportunityVersions,
      [row('v1', '150000.10', null), row('v2', null, '005A')],
      { onConflict: sql`on conflict do nothing`, returning: sql`version_id as id` },
    );
    expect(added.map((r) => r.id).sort()).toEqual(['v1', 'v2']);
    const again = await unnestInsert(database.db, opportunityVersions, [row('v1', '1.00', null)], {
      onConflict: sql`on conflict do nothing`,
      returning: sql`version_id as id`,
    });
    expect(again).toEqual([]);

    const stored = await database.db.execute<Record<string, unknown>>(sql`
      select version_id, amount::text as amount,
        to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as occurred_at, is_deleted, close_date::text as close_date, owner_id, seq
      from opportunity_versions where workspace_id = ${workspaceId} order by version_id`);
    expect(stored.map((r) => ({ ...r, seq: typeof r.seq }))).toEqual([
      {
        version_id: 'v1',
        amount: '150000.10',
        occurred_at: '2026-03-02T16:00:00.123Z',
        is_deleted: false, // the column's default: no row gave it
        close_date: '2026-03-04',
        owner_id: null,
        seq: 'string',
      },
      {
        version_id: 'v2',
        amount: null,
        occurred_at: '2026-03-02T16:00:00.123Z',
        is_deleted: false,
        close_date: '2026-03-04',
        owner_id: '005A',
        seq: 'string',
      },
    ]);
  });

  it('writes array columns element by element, quotes, backslashes, commas and braces intact', async () => {
    const { id: workspaceId } = await createWorkspace(database.db, { slug: 'unnest-insert-arrays' });
    const awkward = ['a"b', 'c\\d', 'e,f', '{g}', 'NULL', ' spaced ', 'é'];
    const touch = (conversationId: string, versionIds: string[]) => ({
      workspaceId,
      opportunityId: '0065g00000Opp001AAA',
      conversationId,
      teamId: 'sales',
      agentId: null,
      touchedAt: new Date('2026-03-02T16:00:00.123Z'),
      touchDay: '2026-03-02',
      contactId: '003A',
      contactRoleId: '00KA',
      versionIds,
    });
    await unnestInsert(database.db, opportunityTouches, [touch('c1', awkward), touch('c2', [])]);
    const stored = await database.db.execute<{ conversation_id: string; version_ids: string[]; n: number }>(sql`
      select conversation_id, version_ids, cardinality(version_ids) as n from opportunity_touches
      where workspace_id = ${workspaceId} order by conversation_id`);
    expect(stored.map((r) => [r.conversation_id, r.version_ids, r.n])).toEqual([
      ['c1', awkward, awkward.length],
      ['c2', [], 0],
    ]);
  });
});
