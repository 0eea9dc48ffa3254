// API key commands: create (prints the key once), list, revoke.
import { createApiKey, listApiKeys, revokeApiKey, type PublicApiKey } from '../../../access/api-keys';
import { apiKeyScopes, type ApiKeyScope } from '../../../platform/db/schema';
import { getWorkspaceBySlug } from '../../../workspaces/workspaces';
import { list, required, usageError, type CliCommand } from '../command';

const describe = (k: PublicApiKey) =>
  `${k.id}\t${k.prefix}\t${k.name}\t${k.scopes.join(',')}\tteams: ${k.teams?.join(',') ?? 'all'}\t${k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active'}`;

export const keyCommands: CliCommand[] = [
  {
    name: 'keys:create',
    summary: 'create an API key and print it once',
    usage: `--workspace SLUG --name NAME --scopes ${apiKeyScopes.join(',')} [--teams a,b]`,
    options: {
      workspace: { type: 'string' },
      name: { type: 'string' },
      scopes: { type: 'string' },
      teams: { type: 'string' },
    },
    async run({ root, out }, v) {
      const { db } = await root.database();
      const workspace = await getWorkspaceBySlug(db, required(v, 'workspace'));
      const created = await createApiKey(db, workspace.id, {
        name: required(v, 'name'),
        scopes: (list(v.scopes) ?? []) as ApiKeyScope[],
        teams: list(v.teams) ?? null,
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
    async run({ root, out }, v) {
      const { db } = await root.database();
      const workspace = await getWorkspaceBySlug(db, required(v, 'workspace'));
      for (const k of await listApiKeys(db, workspace.id)) out(describe(k));
    },
  },
  {
    name: 'keys:revoke',
    summary: 'revoke an API key',
    usage: '--workspace SLUG --id KEY_ID',
    options: { workspace: { type: 'string' }, id: { type: 'string' } },
    async run({ root, out }, v) {
      const { db } = await root.database();
      const workspace = await getWorkspaceBySlug(db, required(v, 'workspace'));
      if (!(await revokeApiKey(db, workspace.id, required(v, 'id')))) {
        throw usageError(`no active key with id ${String(v.id)} in workspace ${workspace.slug}`);
      }
      out(`revoked ${String(v.id)}`);
    },
  },
];
