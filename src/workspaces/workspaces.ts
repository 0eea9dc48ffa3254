// Workspaces and their attribution settings.
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { isValidTimeZone, TIME_ZONE_HINT } from '../attribution/calendar';
import { ENGINE_VERSION } from '../attribution/engine';
import type { DbOrTx, Tx } from '../platform/db/client';
import { workspaces, type Workspace } from '../platform/db/schema';
import { markWorkspaceDirty } from '../history/mark-dirty';
import { pgError } from '../platform/db/sql';
import { conflict, notFound, parseInput } from '../platform/errors';
import { noteWorkspaceChanged } from './workspace-changes';

export const workspaceSlug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected lower-case letters, digits and dashes, such as "acme" or "demo-2026"');

export const workspaceSettings = z.object({
  timeZone: z.string().refine(isValidTimeZone, TIME_ZONE_HINT),
  attributionWindowDays: z.number().int().min(0).max(3650),
  reportingCurrency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code such as "USD"'),
});
export type WorkspaceSettings = z.infer<typeof workspaceSettings>;

export async function findWorkspaceBySlug(db: DbOrTx, slug: string): Promise<Workspace | null> {
  const [row] = await db.select().from(workspaces).where(eq(workspaces.slug, slug));
  return row ?? null;
}

export async function getWorkspaceBySlug(db: DbOrTx, slug: string): Promise<Workspace> {
  const row = await findWorkspaceBySlug(db, slug);
  if (!row) throw notFound(`no workspace named "${slug}"`);
  return row;
}

export async function createWorkspace(
  db: DbOrTx,
  input: { slug: string; name?: string; isDemo?: boolean } & Partial<WorkspaceSettings>,
): Promise<Workspace> {
  const slug = parseInput(workspaceSlug, input.slug, 'slug');
  const settings = parseInput(workspaceSettings.partial(), {
    timeZone: input.timeZone,
    attributionWindowDays: input.attributionWindowDays,
    reportingCurrency: input.reportingCurrency,
  });
  try {
    const [row] = await db
      .insert(workspaces)
      .values({
        slug,
        name: input.name ?? slug,
        isDemo: input.isDemo ?? false,
        // A new workspace has no ledger to bring in line with an older engine.
        engineVersion: ENGINE_VERSION,
        ...(settings.timeZone ? { timeZone: settings.timeZone } : {}),
        ...(settings.attributionWindowDays !== undefined
          ? { attributionWindowDays: settings.attributionWindowDays }
          : {}),
        ...(settings.reportingCurrency ? { reportingCurrency: settings.reportingCurrency } : {}),
      })
      .returning();
    return row!;
  } catch (err) {
    if (pgError(err)?.code === '23505') throw conflict(`a workspace named "${slug}" already exists`);
    throw err;
  }
}

/**
 * Changes settings. A new time zone, window or reporting currency changes the numbers, so every
 * opportunity is marked for recompute in the same transaction (a new currency rebooks the ledger:
 * entries in the old one are reversed, amounts booked again in the new one).
 */
export async function updateWorkspaceSettings(
  tx: Tx,
  workspace: Workspace,
  changes: Partial<WorkspaceSettings>,
): Promise<Workspace> {
  const parsed = parseInput(workspaceSettings.partial(), changes);
  const [row] = await tx.update(workspaces).set(parsed).where(eq(workspaces.id, workspace.id)).returning();
  noteWorkspaceChanged(); // before the commit; the caller notes it again after (workspace-changes.ts)
  const reattribute =
    (parsed.timeZone !== undefined && parsed.timeZone !== workspace.timeZone) ||
    (parsed.attributionWindowDays !== undefined && parsed.attributionWindowDays !== workspace.attributionWindowDays) ||
    (parsed.reportingCurrency !== undefined && parsed.reportingCurrency !== workspace.reportingCurrency);
  if (reattribute) await markWorkspaceDirty(tx, workspace.id);
  return row!;
}

export async function getWorkspace(db: DbOrTx, id: string): Promise<Workspace> {
  const [row] = await db.select().from(workspaces).where(eq(workspaces.id, id));
  if (!row) throw new Error(`workspace ${id} not found`);
  return row;
}
