// Saved views: a named range (a preset of the date picker, or fixed days), team set and credit
// model, and who receives its weekly digest. Names are unique per workspace. A caller restricted
// to teams sees only the views within its teams (a view of every team is not one of them).
import { and, asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { CREDIT_MODELS } from '../attribution/credit';
import type { DbOrTx } from '../platform/db/client';
import { savedViews, viewRangePresets, type SavedView } from '../platform/db/schema';
import { dayInput } from '../platform/dates';
import { AppError, invalidField, isAppError, notFound } from '../platform/errors';
import { resolveTeamFilter } from '../reporting/team-scope';

const MAX_RECIPIENTS = 50;

const name = z
  .string()
  .trim()
  .min(1, 'give the view a name, such as "Support, last 30 days"')
  .max(120, 'at most 120 characters')
  .refine((s) => !s.includes('\u0000'), 'must not contain the NUL character (\\u0000)');
const range = z
  .object({
    preset: z.enum(viewRangePresets).meta({
      description: 'A preset of the date picker (7d, 30d, 90d, mtd, last-month, qtd, last-quarter, ytd), or custom.',
    }),
    from: dayInput.optional().meta({ description: 'First day of a custom range (YYYY-MM-DD); only with custom.' }),
    to: dayInput.optional().meta({ description: 'Last day of a custom range, included; only with custom.' }),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.preset === 'custom') {
      if (!r.from) ctx.addIssue({ code: 'custom', path: ['from'], message: 'required with the custom preset' });
      if (!r.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'required with the custom preset' });
      if (r.from && r.to && r.from > r.to)
        ctx.addIssue({ code: 'custom', path: ['from'], message: `must be on or before to (${r.to})` });
    } else {
      for (const k of ['from', 'to'] as const)
        if (r[k] !== undefined)
          ctx.addIssue({ code: 'custom', path: [k], message: `only with the custom preset (got "${r.preset}")` });
    }
  });
const teams = z
  .array(z.string().trim().min(1).max(255))
  .max(100)
  .nullable()
  .meta({ description: 'Team ids; null: every team.' });
const recipients = z
  .array(z.email('expected an email address such as revops@example.com').max(254))
  .max(MAX_RECIPIENTS, `at most ${MAX_RECIPIENTS} recipients`)
  .meta({ description: 'Who receives the weekly digest by email, where SMTP is configured. Empty: nobody.' });

export const savedViewInput = z
  .object({
    name,
    range,
    teams: teams.default(null),
    model: z.enum(CREDIT_MODELS).default('linear').meta({ description: 'The credit model. Default: linear.' }),
    digestRecipients: recipients.default([]),
  })
  .strict()
  .meta({ id: 'SavedViewInput' });
export type SavedViewInput = z.output<typeof savedViewInput>;

export const savedViewPatch = z
  .object({
    name: name.optional(),
    range: range.optional(),
    teams: teams.optional(),
    model: z.enum(CREDIT_MODELS).optional(),
    digestRecipients: recipients.optional(),
  })
  .strict()
  .meta({ id: 'SavedViewPatch', description: 'The fields to change; the others are kept.' });
export type SavedViewPatch = z.output<typeof savedViewPatch>;

export const viewIdParam = z.object({ id: z.uuid('expected a view id (a UUID) from GET /api/v1/views') });

export const savedViewView = z
  .object({
    id: z.uuid(),
    name: z.string(),
    range: z.object({
      preset: z.enum(viewRangePresets),
      from: z.iso.date().nullable(),
      to: z.iso.date().nullable(),
    }),
    teams: z.array(z.string()).nullable(),
    model: z.enum(CREDIT_MODELS),
    digestRecipients: z.array(z.string()),
    digestUrl: z.string().meta({ description: 'The path of its weekly digest page (for a signed-in user).' }),
    createdBy: z.string().meta({ description: '"user:<id>" or "api_key:<id>".' }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'SavedView' });
export type SavedViewView = z.infer<typeof savedViewView>;

export interface ViewAccess {
  workspaceId: string;
  /** Teams the caller may see; null: all. */
  teams: readonly string[] | null;
  principal: { kind: 'api_key' | 'user'; id: string };
}

export function viewOf(row: SavedView): SavedViewView {
  return {
    id: row.id,
    name: row.name,
    range: { preset: row.rangePreset, from: row.rangeFrom, to: row.rangeTo },
    teams: row.teams,
    model: row.creditModel as SavedViewView['model'],
    digestRecipients: row.digestRecipients,
    digestUrl: `/digest/${row.id}`,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const visible = (access: Pick<ViewAccess, 'teams'>, row: SavedView) =>
  access.teams === null || (row.teams !== null && row.teams.every((t) => access.teams!.includes(t)));

export async function listSavedViews(db: DbOrTx, access: ViewAccess): Promise<SavedViewView[]> {
  const rows = await db
    .select()
    .from(savedViews)
    .where(eq(savedViews.workspaceId, access.workspaceId))
    .orderBy(asc(savedViews.name));
  return rows.filter((r) => visible(access, r)).map(viewOf);
}

/** The stored row, when the caller may see it. */
export async function getSavedView(
  db: DbOrTx,
  access: Pick<ViewAccess, 'workspaceId' | 'teams'>,
  id: string,
): Promise<SavedView> {
  const [row] = await db
    .select()
    .from(savedViews)
    .where(and(eq(savedViews.workspaceId, access.workspaceId), eq(savedViews.id, id)));
  if (!row || !visible(access, row))
    throw notFound(`no saved view ${id} in this workspace: list them with GET /api/v1/views`);
  return row;
}

export async function createSavedView(db: DbOrTx, access: ViewAccess, input: SavedViewInput): Promise<SavedViewView> {
  const teamSet = await checkedTeams(db, access, input.teams);
  const [row] = await db
    .insert(savedViews)
    .values({
      workspaceId: access.workspaceId,
      name: input.name,
      ...rangeColumns(input.range),
      teams: teamSet,
      creditModel: input.model,
      digestRecipients: normaliseRecipients(input.digestRecipients),
      createdBy: `${access.principal.kind}:${access.principal.id}`,
    })
    .onConflictDoNothing({ target: [savedViews.workspaceId, savedViews.name] })
    .returning();
  if (!row) throw nameTaken(input.name);
  return viewOf(row);
}

export async function updateSavedView(
  db: DbOrTx,
  access: ViewAccess,
  id: string,
  patch: SavedViewPatch,
): Promise<SavedViewView> {
  await getSavedView(db, access, id);
  const teamSet = patch.teams === undefined ? undefined : await checkedTeams(db, access, patch.teams);
  try {
    const [row] = await db
      .update(savedViews)
      .set({
        ...(patch.name === undefined ? {} : { name: patch.name }),
        ...(patch.range === undefined ? {} : rangeColumns(patch.range)),
        ...(teamSet === undefined ? {} : { teams: teamSet }),
        ...(patch.model === undefined ? {} : { creditModel: patch.model }),
        ...(patch.digestRecipients === undefined
          ? {}
          : { digestRecipients: normaliseRecipients(patch.digestRecipients) }),
        updatedAt: sql`now()`,
      })
      .where(and(eq(savedViews.workspaceId, access.workspaceId), eq(savedViews.id, id)))
      .returning();
    if (!row) throw notFound(`no saved view ${id} in this workspace: list them with GET /api/v1/views`);
    return viewOf(row);
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken(patch.name ?? '');
    throw err;
  }
}

export async function deleteSavedView(db: DbOrTx, access: ViewAccess, id: string): Promise<void> {
  await getSavedView(db, access, id);
  await db.delete(savedViews).where(and(eq(savedViews.workspaceId, access.workspaceId), eq(savedViews.id, id)));
}

function rangeColumns(r: z.output<typeof range>) {
  return r.preset === 'custom'
    ? { rangePreset: r.preset, rangeFrom: r.from!, rangeTo: r.to! }
    : { rangePreset: r.preset, rangeFrom: null, rangeTo: null };
}

/** The team set, each team one the caller may see and the workspace has (null stays "every team"). */
async function checkedTeams(db: DbOrTx, access: ViewAccess, requested: string[] | null): Promise<string[] | null> {
  if (requested === null) {
    if (access.teams)
      throw invalidField('teams', `this key sees only some teams: name them (${access.teams.join(', ')})`);
    return null;
  }
  if (requested.length === 0) throw invalidField('teams', 'name at least one team, or send null for every team');
  try {
    return await resolveTeamFilter(db, access.workspaceId, access.teams, [...new Set(requested)]);
  } catch (err) {
    // In a body, an unknown team is a bad field, not a missing resource.
    if (isAppError(err, 'not_found')) throw invalidField('teams', err.message);
    throw err;
  }
}

/** Lower-cased and without repeats, in the order given. */
const normaliseRecipients = (list: string[]) => [...new Set(list.map((e) => e.trim().toLowerCase()))];

function nameTaken(name: string): AppError {
  const message = `a view named "${name}" exists in this workspace: choose another name or change that view (PATCH)`;
  return new AppError('conflict', message, { fields: [{ field: 'name', message }] });
}

function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause)
    if ((e as { code?: string }).code === '23505') return true;
  return false;
}
