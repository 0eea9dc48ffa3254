import { sql } from 'drizzle-orm';
import { WORKSPACE_CACHE_MS, workspaceFacts } from '../../src/workspaces/workspace-cache';
import { changeWorkspaceSettings } from '../../src/workspaces/workspace-settings';
import { deleteTeam, saveTeam } from '../../src/workspaces/teams';
import { withTransaction } from '../../src/platform/tx';
import { resolveTeamFilter } from '../../src/reporting/team-scope';
import { newWorkspace } from '../api/helpers';
import { useTestDatabase } from '../support/database';
import { testLogger } from '../support/logger';

const database = useTestDatabase();
const deps = () => ({ db: database.db, queue: { enqueue: async () => {} }, logger: testLogger });

describe('the cache of workspaces and their teams', () => {
  it('answers from memory, and sees a change made elsewhere within WORKSPACE_CACHE_MS', async () => {
    let clock = 1_000_000;
    const options = { now: () => clock };
    const ws = await newWorkspace(database.db, 'ws-cache-elsewhere');
    await saveTeam(database.db, ws.id, { id: 'sales', name: 'Sales' });
    expect((await workspaceFacts(database.db, ws.id, options)).workspace.timeZone).toBe('UTC');

    // Changed by another process (the CLI, another replica): this one cannot know at once.
    await database.db.execute(sql`update workspaces set time_zone = 'Europe/Berlin' where id = ${ws.id}`);
    await database.db.execute(sql`update teams set name = 'Sales EMEA' where workspace_id = ${ws.id}`);
    clock += WORKSPACE_CACHE_MS - 1;
    const stale = await workspaceFacts(database.db, ws.id, options);
    expect(stale.workspace.timeZone).toBe('UTC');
    expect(stale.teams.get('sales')).toBe('Sales');
    clock += 1;
    const fresh = await workspaceFacts(database.db, ws.id, options);
    expect(fresh.workspace.timeZone).toBe('Europe/Berlin');
    expect(fresh.teams.get('sales')).toBe('Sales EMEA');
  });

  it('sees settings and teams changed through this process at once', async () => {
    const ws = await newWorkspace(database.db, 'ws-cache-here');
    expect((await workspaceFacts(database.db, ws.id)).teams.size).toBe(0);
    await saveTeam(database.db, ws.id, { id: 'support', name: 'Support' });
    expect((await workspaceFacts(database.db, ws.id)).teams.get('support')).toBe('Support');
    await saveTeam(database.db, ws.id, { id: 'support', name: 'Customer care' });
    expect((await workspaceFacts(database.db, ws.id)).teams.get('support')).toBe('Customer care');
    await deleteTeam(database.db, ws.id, 'support');
    expect((await workspaceFacts(database.db, ws.id)).teams.has('support')).toBe(false);

    await changeWorkspaceSettings(deps(), ws.id, { timeZone: 'America/New_York', reportingCurrency: 'EUR' });
    const after = (await workspaceFacts(database.db, ws.id)).workspace;
    expect([after.timeZone, after.reportingCurrency]).toEqual(['America/New_York', 'EUR']);
  });

  it('never refuses a team it does not remember: it looks it up', async () => {
    const ws = await newWorkspace(database.db, 'ws-cache-new-team');
    const facts = await workspaceFacts(database.db, ws.id);
    // Registered by another process (ingestion on another replica) after the cache read.
    await database.db.execute(sql`insert into teams (workspace_id, id, name) values (${ws.id}, 'new', 'new')`);
    expect(await resolveTeamFilter(database.db, facts, null, ['new'])).toEqual(['new']);
    await expect(resolveTeamFilter(database.db, facts, null, ['never'])).rejects.toMatchObject({ code: 'not_found' });
  });

  it('inside a transaction, reads the transaction’s own snapshot', async () => {
    const ws = await newWorkspace(database.db, 'ws-cache-tx');
    expect((await workspaceFacts(database.db, ws.id)).workspace.timeZone).toBe('UTC');
    await withTransaction(database.db, async (tx) => {
      await tx.execute(sql`update workspaces set time_zone = 'Asia/Tokyo' where id = ${ws.id}`);
      expect((await workspaceFacts(tx, ws.id)).workspace.timeZone).toBe('Asia/Tokyo');
      throw Object.assign(new Error('roll back'), { rollback: true });
    }).catch((err: { rollback?: boolean }) => {
      if (!err.rollback) throw err;
    });
    expect((await workspaceFacts(database.db, ws.id)).workspace.timeZone).toBe('UTC');
  });
});
