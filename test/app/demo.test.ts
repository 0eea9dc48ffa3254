import { sql } from 'drizzle-orm';
import { ensureDemoWorkspace } from '../../src/app/demo/demo-workspace';
import { demoConversations } from '../../src/app/demo/demo-conversations';
import type { DemoChat } from '../../src/app/salesforce';
import { useTestDatabase } from '../support/database';

const database = useTestDatabase();
const chats: DemoChat[] = [
  { id: 'demo-conv-1', at: '2026-03-01T10:00:00Z', teamId: 'sales', agentId: 'agent-1', emails: ['dana@acme.example'] },
  { id: 'demo-conv-2', at: '2026-03-02T10:00:00Z', teamId: 'support', agentId: 'agent-4', emails: [] },
];

describe('the demo workspace', () => {
  it('derives the same conversations from the same chats, visitor traffic linking to nobody', () => {
    const rows = demoConversations(chats);
    expect(demoConversations(chats)).toEqual(rows);
    const visits = rows.filter((r) => r.id.startsWith('demo-visit-'));
    expect(visits.length).toBeGreaterThan(0);
    expect(visits.every((v) => v.emails!.length === 0 && v.capturedEmail == null)).toBe(true);
    expect(new Set(visits.map((v) => v.startedAt.toISOString().slice(0, 10)))).toEqual(
      new Set(['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04']),
    );
    expect(rows.find((r) => r.id === 'demo-conv-1')).toMatchObject({
      rating: 3,
      targetAccount: true,
      emails: ['dana@acme.example'],
    });
  });

  it('is marked demo, has named teams and one demo user, and writes nothing new when ensured again', async () => {
    const first = await ensureDemoWorkspace(database.db, chats);
    const count = async () =>
      (
        await database.db.execute<{ n: number }>(
          sql`select count(*)::int as n from conversations where workspace_id = ${first.id}`,
        )
      )[0]!.n;
    const before = await count();
    const again = await ensureDemoWorkspace(database.db, chats);
    expect(again.id).toBe(first.id);
    expect(again.isDemo).toBe(true);
    expect(await count()).toBe(before);
    const users = await database.db.execute<{ is_demo: boolean }>(
      sql`select is_demo from users where workspace_id = ${first.id}`,
    );
    expect(users).toEqual([{ is_demo: true }]);
    const teams = await database.db.execute<{ id: string; name: string }>(
      sql`select id, name from teams where workspace_id = ${first.id} order by id`,
    );
    expect(teams).toEqual([
      { id: 'sales', name: 'Sales' },
      { id: 'support', name: 'Customer Success' },
    ]);
  });
});
