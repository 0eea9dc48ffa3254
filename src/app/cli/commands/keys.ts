// API key commands: create (prints the key once), list, revoke.
import { ZodError } from 'zod';
import { createApiKey, listApiKeys, revokeApiKey, type PublicApiKey } from '../../../access/api-keys';
import { apiKeyScopes, type ApiKeyScope } from '../../../platform/db/schema/index';
import { getWorkspaceBySlug } from '../../../workspaces/workspaces';
import { CliError, list, required, type CliCommand } from '../command';

const describe = (k: PublicApiKey) =>
  `${k.id}\t${k.prefix}\t${k.name}\t${k.scopes.join(',')}\tteams: ${k.teams?.join(',') ?? 'all'}\t${k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active'}`;

export const keyCommands: CliCommand[] = [
  {
    name: 'keys:create',
    summary: 'create an API key and print it once',
    usage: `--workspace SLUG --name NAME --scopes ${apiKeyScopes.join(',')} [--teams a,b]`,
    options: { workspace: { type: 'string' }, name: { type: 'string' }, scopes: { type: 'string' }, teams: { type: 'string' } },
    async run({ database, out }, v) {
      const workspace = await getWorkspaceBySlug(database.db, required(v, 'workspace'));
      const created = await createApiKey(database.db, workspace.id, {
        name: required(v, 'name'),
        scopes: (list(v.scopes) ?? []) as ApiKeyScope[],
        teams: list(v.teams) ?? null,
      }).catch((err) => {
        if (err instanceof ZodError) throw new CliError(err.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('; '));
        throw err;
      });
      out(describe(created.apiKey));
      out('');
      out(created.key);
      out('');
      out('This is the only time the key is shown: store it now.');
    },
  },
  {
    name: 'keys:list',
    summary: 'list the API keys of a workspace (never the keys themselves)',
    usage: '--workspace SLUG',
    options: { workspace: { type: 'string' } },
    async run({ database, out }, v) {
      const workspace = await getWorkspaceBySlug(database.db, required(v, 'workspace'));
      for (const k of await listApiKeys(database.db, workspace.id)) out(describe(k));
    },
  },
  {
    name: 'keys:revoke',
    summary: 'revoke an API key',
    usage: '--workspace SLUG --id KEY_ID',
    options: { workspace: { type: 'string' }, id: { type: 'string' } },
    async run({ database, out }, v) {
      const workspace = await getWorkspaceBySlug(database.db, required(v, 'workspace'));
      if (!(await revokeApiKey(database.db, workspace.id, required(v, 'id')))) {
        throw new CliError(`no active key with id ${String(v.id)} in workspace ${workspace.slug}`);
      }
      out(`revoked ${String(v.id)}`);
    },
  },
];
