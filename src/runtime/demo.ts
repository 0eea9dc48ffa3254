// The demo workspace that `npm start` shows on a fresh machine: clearly marked as demo, holding
// the local test Salesforce's demo chats. Real workspaces never receive demo data.
import type { Db } from '../db/client';
import type { Workspace } from '../db/schema';
import { recordConversations } from '../history/record';
import { createWorkspace, findWorkspaceBySlug } from '../workspaces/workspaces';
import type { DemoChat } from './salesforce';

export const DEMO_SLUG = 'demo';

export async function ensureDemoWorkspace(db: Db, chats: DemoChat[]): Promise<Workspace> {
  return db.transaction(async (tx) => {
    const existing = await findWorkspaceBySlug(tx, DEMO_SLUG);
    if (existing && !existing.isDemo) {
      throw new Error(`a workspace named "${DEMO_SLUG}" exists and is not the demo workspace; rename it or set LOCAL_SALESFORCE=off`);
    }
    const workspace = existing ?? (await createWorkspace(tx, { slug: DEMO_SLUG, name: 'Demo workspace (sample data)', isDemo: true }));
    await recordConversations(
      tx,
      workspace.id,
      chats.map((c) => ({ id: c.id, teamId: c.teamId, agentId: c.agentId, startedAt: new Date(c.at), emails: c.emails })),
    );
    return workspace;
  });
}
