// GET /api/v1/funnel and the Lead Status mapping, in New York over the fall DST change (2026-11-01
// has 25 hours), range Oct 26 - Nov 8 (two ISO weeks). Standard picklist: Open - Not Contacted
// (default: MQL), Working - Contacted (SQL), Closed - Converted (converted: SQL), Closed - Not
// Converted (rejected); "Nurture" is only on an old lead (none).
//
//   L1 ana  created Oct 27 · Working Oct 28 (25 h later) · converted Oct 30 · chat c1 (sales) Oct 26
//   L2 ben  created Nov 1 01:30 EDT · Closed - Not Converted Nov 2 · chat c2 (support) Nov 1 22:00 EST
//           (already Nov 2 in UTC: only the workspace's zone makes it the creation day)
//   L3 cy   created Nov 3 as Working - Contacted (time to accept unknown) · chat c3 Nov 4, after creation
//   L4 dee  created Nov 5 · Working 6 h later · no chat
//   L6 fay  created Nov 6 as Nurture · L5 created before the range · L7 deleted
import { sql } from 'drizzle-orm';
import type { RunningService } from '../../src/app/service';
import type { Workspace } from '../../src/platform/db/schema';
import { useTestDatabase } from '../support/database';
import { leadRow, writeSalesforceRows } from '../support/history-rows';
import { inProcessJobs } from '../support/queues';
import { startTestService } from '../support/service';
import { apiClient, chat, newKey, newWorkspace, type ApiClient } from './helpers';

const database = useTestDatabase();
let service: RunningService;
let ws: Workspace;
let api: ApiClient;
let admin: ApiClient;

const OPEN = 'Open - Not Contacted';
const WORKING = 'Working - Contacted';

beforeAll(async () => {
  const jobs = inProcessJobs();
  service = await startTestService({ database, jobs });
  ws = await newWorkspace(database.db, 'funnel', { timeZone: 'America/New_York' });
  await database.db.execute(sql`
    insert into salesforce_lead_statuses (workspace_id, api_name, master_label, is_converted, is_default, sort_order)
    values (${ws.id}, ${OPEN}, ${OPEN}, false, true, 1), (${ws.id}, ${WORKING}, ${WORKING}, false, false, 2),
           (${ws.id}, 'Closed - Converted', 'Closed - Converted', true, false, 3),
           (${ws.id}, 'Closed - Not Converted', 'Closed - Not Converted', false, false, 4)`);
  const lead = (id: string, email: string, created: string, steps: [string, string, boolean?][]) =>
    steps.map(([at, status, converted]) =>
      leadRow(id, at, { email, status, created, ...(converted ? { convertedContactId: 'K-ana' } : {}) }),
    );
  await writeSalesforceRows(database.db, ws.id, {
    contacts: [['K-ana', '2026-10-01T00:00:00Z', 'ana@acme.example']],
    leads: [
      ...lead('L1', 'ana@acme.example', '2026-10-27T14:00:00Z', [
        ['2026-10-27T14:00:00Z', OPEN],
        ['2026-10-28T15:00:00Z', WORKING],
        ['2026-10-30T14:00:00Z', 'Closed - Converted', true],
      ]),
      ...lead('L2', 'ben@acme.example', '2026-11-01T05:30:00Z', [
        ['2026-11-01T05:30:00Z', OPEN],
        ['2026-11-02T17:30:00Z', 'Closed - Not Converted'],
      ]),
      ...lead('L3', 'cy@acme.example', '2026-11-03T15:00:00Z', [['2026-11-03T15:05:00Z', WORKING]]),
      ...lead('L4', 'dee@acme.example', '2026-11-05T15:00:00Z', [
        ['2026-11-05T15:00:00Z', OPEN],
        ['2026-11-05T21:00:00Z', WORKING],
      ]),
      ...lead('L5', 'eve@acme.example', '2026-10-20T15:00:00Z', [['2026-10-20T15:00:00Z', OPEN]]),
      ...lead('L6', 'fay@acme.example', '2026-11-06T15:00:00Z', [['2026-11-06T15:00:00Z', 'Nurture']]),
      ...lead('L7', 'gus@acme.example', '2026-11-07T15:00:00Z', [['2026-11-07T15:00:00Z', OPEN]]),
      {
        ...leadRow('L7', '2026-11-08T15:00:00Z', {
          email: 'gus@acme.example',
          status: OPEN,
          created: '2026-11-07T15:00:00Z',
        }),
        isDeleted: true,
      },
    ],
  });
  api = apiClient(service.url!, await newKey(database.db, ws.id, ['conversations:write', 'dashboard:read']));
  admin = apiClient(service.url!, await newKey(database.db, ws.id, ['admin']));
  await api.post('/api/v1/conversations', {
    conversations: [
      chat('c1', '2026-10-26T15:00:00Z', { emails: ['ana@acme.example'] }),
      chat('c2', '2026-11-02T03:00:00Z', { teamId: 'support', emails: ['ben@acme.example'] }),
      chat('c3', '2026-11-04T15:00:00Z', { emails: ['cy@acme.example'] }),
    ],
  });
  await jobs.jobs.drain();
});
afterAll(() => service.close());

const RANGE = 'from=2026-10-26&to=2026-11-08';
const week1 = { from: '2026-10-26', to: '2026-11-01' };
const week2 = { from: '2026-11-02', to: '2026-11-08' };

describe('GET /api/v1/funnel', () => {
  it('counts the cohort’s stages, acceptance and time to accept, for all leads and chat-sourced ones', async () => {
    const res = await api.get(`/api/v1/funnel?${RANGE}`);
    expect(res.status).toBe(200);
    expect(res.body.all).toEqual({
      leads: 5,
      mql: 4,
      sql: 3,
      rejected: 1,
      converted: 1,
      acceptanceRate: 0.75,
      medianHoursToAccept: 15.5, // L1 25 h, L4 6 h
      acceptedWithTime: 2,
      weekly: [
        { ...week1, leads: 2, mql: 2, sql: 1, rejected: 1, converted: 1, acceptanceRate: 0.5 },
        { ...week2, leads: 3, mql: 2, sql: 2, rejected: 0, converted: 0, acceptanceRate: 1 },
      ],
    });
    expect(res.body.chatSourced).toEqual({
      leads: 2,
      mql: 2,
      sql: 1,
      rejected: 1,
      converted: 1,
      acceptanceRate: 0.5,
      medianHoursToAccept: 25,
      acceptedWithTime: 1,
      weekly: [
        { ...week1, leads: 2, mql: 2, sql: 1, rejected: 1, converted: 1, acceptanceRate: 0.5 },
        { ...week2, leads: 0, mql: 0, sql: 0, rejected: 0, converted: 0, acceptanceRate: null },
      ],
    });
  });

  it('counts as chat-sourced only the team set’s chats', async () => {
    const res = await api.get(`/api/v1/funnel?${RANGE}&teams=sales`);
    expect(res.body.chatSourced).toMatchObject({ leads: 1, mql: 1, sql: 1, converted: 1 });
    expect(res.body.all.leads).toBe(5);
    const support = apiClient(service.url!, await newKey(database.db, ws.id, ['dashboard:read'], ['support']));
    expect((await support.get(`/api/v1/funnel?${RANGE}`)).body.chatSourced).toMatchObject({ leads: 1, rejected: 1 });
  });

  it('covers a single day and an empty range', async () => {
    // Nov 1, the 25-hour day: L2 only.
    expect((await api.get('/api/v1/funnel?from=2026-11-01&to=2026-11-01')).body.all).toMatchObject({
      leads: 1,
      mql: 1,
      rejected: 1,
      weekly: [{ from: '2026-11-01', to: '2026-11-01', leads: 1 }],
    });
    expect((await api.get('/api/v1/funnel?from=2026-09-01&to=2026-09-30')).body.all).toMatchObject({
      leads: 0,
      acceptanceRate: null,
      medianHoursToAccept: null,
    });
  });
});

describe('the Lead Status mapping', () => {
  it('defaults from the picklist and lists values only old leads hold', async () => {
    const res = await api.get('/api/v1/funnel/stages');
    expect(
      res.body.statuses.map((s: { status: string; stage: string; source: string; inPicklist: boolean }) => [
        s.status,
        s.stage,
        s.source,
        s.inPicklist,
      ]),
    ).toEqual([
      [OPEN, 'mql', 'default', true],
      [WORKING, 'sql', 'default', true],
      ['Closed - Converted', 'sql', 'default', true],
      ['Closed - Not Converted', 'rejected', 'default', true],
      ['Nurture', 'none', 'default', false],
    ]);
  });

  it('can be changed by an admin, and back to the default', async () => {
    const put = await admin.put('/api/v1/funnel/stages', { stages: { Nurture: 'mql' } });
    expect(put.status).toBe(200);
    expect(put.body.statuses.at(-1)).toMatchObject({
      status: 'Nurture',
      stage: 'mql',
      source: 'setting',
      defaultStage: 'none',
    });
    expect((await api.get(`/api/v1/funnel?${RANGE}`)).body.all).toMatchObject({ mql: 5, acceptanceRate: 0.6 });
    await admin.put('/api/v1/funnel/stages', { stages: { Nurture: null } });
    expect((await api.get(`/api/v1/funnel?${RANGE}`)).body.all).toMatchObject({ mql: 4, acceptanceRate: 0.75 });
    expect((await api.put('/api/v1/funnel/stages', { stages: { Nurture: 'mql' } })).status).toBe(403);
    const bad = await admin.put('/api/v1/funnel/stages', { stages: { Nurture: 'hot' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('stages.Nurture');
  });
});

// Where the org tracks Lead Status history, the funnel reads the steps Salesforce recorded between two
// syncs (LeadHistory, Field = 'Status': OldValue/NewValue hold the picklist's API values).
//   L8  created Nov 2 10:00Z as Open; next sync already Closed - Converted (Nov 5). LeadHistory: Working
//       at Nov 3 12:00Z (26 h), Closed - Converted Nov 4.
//   L9  created Nov 3 10:00Z; first sync already Working. LeadHistory: Open -> Working 3 h after creation.
describe('GET /api/v1/funnel with LeadHistory', () => {
  it('times the acceptance by the recorded Status changes, not by when we synced', async () => {
    const hws = await newWorkspace(database.db, 'funnel-history');
    await writeSalesforceRows(database.db, hws.id, {
      leads: [
        leadRow('L8', '2026-11-02T10:00:00Z', {
          email: 'h8@acme.example',
          status: OPEN,
          created: '2026-11-02T10:00:00Z',
        }),
        leadRow('L8', '2026-11-05T10:00:00Z', {
          email: 'h8@acme.example',
          status: 'Closed - Converted',
          created: '2026-11-02T10:00:00Z',
          convertedContactId: 'K-h8',
        }),
        leadRow('L9', '2026-11-04T09:00:00Z', {
          email: 'h9@acme.example',
          status: WORKING,
          created: '2026-11-03T10:00:00Z',
        }),
      ],
    });
    await database.db.execute(sql`
      insert into salesforce_lead_statuses (workspace_id, api_name, master_label, is_converted, is_default, sort_order)
      values (${hws.id}, ${OPEN}, ${OPEN}, false, true, 1), (${hws.id}, ${WORKING}, ${WORKING}, false, false, 2),
             (${hws.id}, 'Closed - Converted', 'Closed - Converted', true, false, 3)`);
    const key = apiClient(service.url!, await newKey(database.db, hws.id, ['dashboard:read']));
    const before = (await key.get('/api/v1/funnel?from=2026-11-02&to=2026-11-08')).body.all;
    // From versions alone: L8 accepted when we saw it converted (72 h); L9's MQL step never seen.
    expect(before).toMatchObject({ leads: 2, mql: 2, sql: 2, medianHoursToAccept: 72, acceptedWithTime: 1 });

    await database.db.execute(sql`
      insert into field_history (workspace_id, history_id, object, record_id, field, old_value, new_value, changed_at, source)
      values (${hws.id}, '017A8', 'Lead', 'L8', 'Status', ${OPEN}, ${WORKING}, '2026-11-03T12:00:00Z', 'salesforce'),
             (${hws.id}, '017B8', 'Lead', 'L8', 'Status', ${WORKING}, 'Closed - Converted', '2026-11-04T12:00:00Z', 'salesforce'),
             (${hws.id}, '017A9', 'Lead', 'L9', 'Status', ${OPEN}, ${WORKING}, '2026-11-03T13:00:00Z', 'salesforce')`);
    const after = (await key.get('/api/v1/funnel?from=2026-11-02&to=2026-11-08')).body.all;
    expect(after).toMatchObject({
      leads: 2,
      mql: 2,
      sql: 2,
      converted: 1,
      medianHoursToAccept: 14.5,
      acceptedWithTime: 2,
    });
  });
});
