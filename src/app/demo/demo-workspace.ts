// The demo workspace that `npm start` shows on a fresh machine: clearly marked as demo, holding
// the local test Salesforce's demo chats (with visitor traffic around them), its teams, and the
// user that "Explore the demo workspace" signs in as. Real workspaces never receive demo data.
import { ensureDemoUser } from '../../access/users';
import type { Config } from '../../platform/config';
import type { Db } from '../../platform/db/client';
import { savedViews, teams, type Workspace } from '../../platform/db/schema';
import type { Tx } from '../../platform/db/client';
import { recordConversations } from '../../history/record';
import { createWorkspace, findWorkspaceBySlug } from '../../workspaces/workspaces';
import { recordAgentNamesFromChat } from '../../workspaces/agents';
import { DEMO_TEAMS, demoConversations } from './demo-conversations';
import type { DemoChat } from '../salesforce';
import { withTransaction } from '../../platform/tx';
import { eq } from 'drizzle-orm';

export const DEMO_SLUG = 'demo';

export async function ensureDemoWorkspace(db: Db, chats: DemoChat[]): Promise<Workspace> {
  return withTransaction(db, async (tx) => {
    const existing = await findWorkspaceBySlug(tx, DEMO_SLUG);
    if (existing && !existing.isDemo) {
      throw new Error(
        `a workspace named "${DEMO_SLUG}" exists and is not the demo workspace; rename it or set LOCAL_SALESFORCE=off`,
      );
    }
    const workspace =
      existing ?? (await createWorkspace(tx, { slug: DEMO_SLUG, name: 'Demo workspace (sample data)', isDemo: true }));
    await tx
      .insert(teams)
      .values(DEMO_TEAMS.map((t) => ({ workspaceId: workspace.id, ...t })))
      .onConflictDoNothing();
    const rows = demoConversations(chats);
    await recordConversations(tx, workspace.id, rows);
    await recordAgentNamesFromChat(
      tx,
      workspace.id,
      rows.flatMap((r) => (r.agentId && r.agentName ? [{ agentId: r.agentId, name: r.agentName }] : [])),
    );
    const user = await ensureDemoUser(tx, workspace.id);
    await ensureSampleView(tx, workspace.id, user.id);
    return workspace;
  });
}

/**
 * A saved view to open, with its weekly digest shown (the demo has no SMTP, so nothing is sent),
 * while the demo has no view at all: one deleted comes back at the next start only if none is left.
 */
async function ensureSampleView(tx: Tx, workspaceId: string, userId: string): Promise<void> {
  const [any] = await tx
    .select({ id: savedViews.id })
    .from(savedViews)
    .where(eq(savedViews.workspaceId, workspaceId))
    .limit(1);
  if (any) return;
  await tx
    .insert(savedViews)
    .values({
      workspaceId,
      name: 'Every team, last 30 days',
      rangePreset: '30d',
      teams: null,
      creditModel: 'linear',
      createdBy: `user:${userId}`,
    })
    .onConflictDoNothing();
}

/**
 * Demo sign-in is offered only with the local test Salesforce, which never runs in production
 * nor beside a real connected app (config.ts and runtime/salesforce.ts decide the same way).
 */
export function demoSignInEnabled(config: Config): boolean {
  return config.salesforce.local && !config.salesforce.clientId && config.env !== 'production';
}
