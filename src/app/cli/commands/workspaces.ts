// Workspace commands: create, list, change settings.
import { workspaces } from '../../../platform/db/schema';
import { createWorkspace, getWorkspaceBySlug, updateWorkspaceSettings } from '../../../workspaces/workspaces';
import { withTransaction } from '../../../platform/tx';
import { required, type CliCommand } from '../command';

const describe = (w: typeof workspaces.$inferSelect) =>
  `${w.slug}\t${w.name}\t${w.timeZone}\t${w.reportingCurrency}\twindow ${w.attributionWindowDays}d${w.isDemo ? '\tDEMO' : ''}\t${w.id}`;

const SETTING_FLAGS = {
  slug: 'workspace',
  timeZone: 'timezone',
  reportingCurrency: 'currency',
  attributionWindowDays: 'window',
};

export const workspaceCommands: CliCommand[] = [
  {
    name: 'workspaces:create',
    summary: 'create a workspace',
    usage: '--workspace SLUG [--name NAME] [--timezone Europe/Paris] [--currency EUR] [--window 90]',
    options: {
      workspace: { type: 'string' },
      name: { type: 'string' },
      timezone: { type: 'string' },
      currency: { type: 'string' },
      window: { type: 'string' },
    },
    flags: SETTING_FLAGS,
    async run({ root, out }, v) {
      const { db } = await root.database();
      const w = await createWorkspace(db, {
        slug: required(v, 'workspace'),
        ...(typeof v.name === 'string' ? { name: v.name } : {}),
        ...(typeof v.timezone === 'string' ? { timeZone: v.timezone } : {}),
        ...(typeof v.currency === 'string' ? { reportingCurrency: v.currency } : {}),
        ...(typeof v.window === 'string' ? { attributionWindowDays: Number(v.window) } : {}),
      });
      out(describe(w));
    },
  },
  {
    name: 'workspaces:list',
    summary: 'list workspaces',
    usage: '',
    options: {},
    async run({ root, out }) {
      const { db } = await root.database();
      for (const w of await db.select().from(workspaces).orderBy(workspaces.slug)) out(describe(w));
    },
  },
  {
    name: 'workspaces:set',
    summary: 'change a workspace\u2019s time zone, currency or attribution window (recomputes its ledger)',
    usage: '--workspace SLUG [--timezone ZONE] [--currency CODE] [--window DAYS]',
    options: {
      workspace: { type: 'string' },
      timezone: { type: 'string' },
      currency: { type: 'string' },
      window: { type: 'string' },
    },
    flags: SETTING_FLAGS,
    async run({ root, out }, v) {
      const w = await withTransaction((await root.database()).db, async (tx) => {
        const current = await getWorkspaceBySlug(tx, required(v, 'workspace'));
        return updateWorkspaceSettings(tx, current, {
          ...(typeof v.timezone === 'string' ? { timeZone: v.timezone } : {}),
          ...(typeof v.currency === 'string' ? { reportingCurrency: v.currency } : {}),
          ...(typeof v.window === 'string' ? { attributionWindowDays: Number(v.window) } : {}),
        });
      });
      out(describe(w));
      out('the ledger is recomputed by the worker (npm start) within a minute');
    },
  },
];
