// Workspace commands: create, list, change settings.
import { ZodError } from 'zod';
import { workspaces } from '../../../platform/db/schema/index';
import { createWorkspace, getWorkspaceBySlug, updateWorkspaceSettings } from '../../../workspaces/workspaces';
import { CliError, required, type CliCommand } from '../command';

const describe = (w: typeof workspaces.$inferSelect) =>
  `${w.slug}\t${w.name}\t${w.timeZone}\t${w.reportingCurrency}\twindow ${w.attributionWindowDays}d${w.isDemo ? '\tDEMO' : ''}\t${w.id}`;

export const workspaceCommands: CliCommand[] = [
  {
    name: 'workspaces:create',
    summary: 'create a workspace',
    usage: '--workspace SLUG [--name NAME] [--timezone Europe/Paris] [--currency EUR] [--window 90]',
    options: { workspace: { type: 'string' }, name: { type: 'string' }, timezone: { type: 'string' }, currency: { type: 'string' }, window: { type: 'string' } },
    async run({ database, out }, v) {
      const w = await createWorkspace(database.db, {
        slug: required(v, 'workspace'),
        ...(typeof v.name === 'string' ? { name: v.name } : {}),
        ...(typeof v.timezone === 'string' ? { timeZone: v.timezone } : {}),
        ...(typeof v.currency === 'string' ? { reportingCurrency: v.currency } : {}),
        ...(typeof v.window === 'string' ? { attributionWindowDays: Number(v.window) } : {}),
      }).catch(rethrowReadable);
      out(describe(w));
    },
  },
  {
    name: 'workspaces:list',
    summary: 'list workspaces',
    usage: '',
    options: {},
    async run({ database, out }) {
      for (const w of await database.db.select().from(workspaces).orderBy(workspaces.slug)) out(describe(w));
    },
  },
  {
    name: 'workspaces:set',
    summary: 'change a workspace\u2019s time zone, currency or attribution window (recomputes its ledger)',
    usage: '--workspace SLUG [--timezone ZONE] [--currency CODE] [--window DAYS]',
    options: { workspace: { type: 'string' }, timezone: { type: 'string' }, currency: { type: 'string' }, window: { type: 'string' } },
    async run({ database, out }, v) {
      const w = await database.db.transaction(async (tx) => {
        const current = await getWorkspaceBySlug(tx, required(v, 'workspace'));
        return updateWorkspaceSettings(tx, current, {
          ...(typeof v.timezone === 'string' ? { timeZone: v.timezone } : {}),
          ...(typeof v.currency === 'string' ? { reportingCurrency: v.currency } : {}),
          ...(typeof v.window === 'string' ? { attributionWindowDays: Number(v.window) } : {}),
        });
      }).catch(rethrowReadable);
      out(describe(w));
      out('the ledger is recomputed by the worker (npm start) within a minute');
    },
  },
];

function rethrowReadable(err: unknown): never {
  if (err instanceof ZodError) throw new CliError(err.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; '));
  const code = (err as { cause?: { code?: string } }).cause?.code;
  if (code === '23505') throw new CliError('a workspace with this slug already exists');
  throw err;
}
