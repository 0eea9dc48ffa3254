// Chat commands: teams (add or rename, list) and webhook signing secrets (create, list, revoke).
import { ZodError } from 'zod';
import { listTeams, saveTeam } from '../../../workspaces/teams';
import { createWebhookSecret, listWebhookSecrets, revokeWebhookSecret, type WebhookSecretView } from '../../../access/webhook-secrets';
import { loadConfig } from '../../../platform/config';
import type { SecretBox } from '../../../platform/crypto';
import { createLogger } from '../../../platform/logger';
import { openSecretBox } from '../../secrets';
import { getWorkspaceBySlug } from '../../../workspaces/workspaces';
import { CliError, required, type CliCommand } from '../command';

const describeSecret = (s: WebhookSecretView) => `${s.id}\tcreated ${s.createdAt}\t${s.revokedAt ? `revoked ${s.revokedAt}` : 'active'}`;

/** The same secret box as the service (ENCRYPTION_KEYS, or the development key in DATA_DIR). */
function openSecrets(): SecretBox {
  return openSecretBox(loadConfig(), createLogger('error'));
}

export const chatCommands: CliCommand[] = [
  {
    name: 'teams:add',
    summary: 'add a team (or rename it); ingestion also adds every team it sees, named after its id',
    usage: '--workspace SLUG --id TEAM_ID --name NAME',
    options: { workspace: { type: 'string' }, id: { type: 'string' }, name: { type: 'string' } },
    async run({ database, out }, v) {
      const workspace = await getWorkspaceBySlug(database.db, required(v, 'workspace'));
      const { team, created } = await saveTeam(database.db, workspace.id, { id: required(v, 'id'), name: required(v, 'name') }).catch(
        (err) => {
          if (err instanceof ZodError) throw new CliError(err.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('; '));
          throw err;
        },
      );
      out(`${created ? 'added' : 'renamed'}\t${team.id}\t${team.name}`);
    },
  },
  {
    name: 'teams:list',
    summary: 'list the teams of a workspace',
    usage: '--workspace SLUG',
    options: { workspace: { type: 'string' } },
    async run({ database, out }, v) {
      const workspace = await getWorkspaceBySlug(database.db, required(v, 'workspace'));
      for (const t of await listTeams(database.db, workspace.id, null)) out(`${t.id}\t${t.name}\tcreated ${t.createdAt}`);
    },
  },
  {
    name: 'webhook-secrets:create',
    summary: 'create a webhook signing secret and print it once (the old ones stay active until revoked)',
    usage: '--workspace SLUG',
    options: { workspace: { type: 'string' } },
    async run({ database, out }, v) {
      const workspace = await getWorkspaceBySlug(database.db, required(v, 'workspace'));
      const created = await createWebhookSecret(database.db, openSecrets(), workspace.id);
      out(describeSecret(created.webhookSecret));
      out('');
      out(created.secret);
      out('');
      out('This is the only time the secret is shown: configure it in the chat product now.');
      out(`The chat product posts to /webhooks/chat?workspace=${workspace.slug}`);
    },
  },
  {
    name: 'webhook-secrets:list',
    summary: 'list the webhook secrets of a workspace (never the secrets themselves)',
    usage: '--workspace SLUG',
    options: { workspace: { type: 'string' } },
    async run({ database, out }, v) {
      const workspace = await getWorkspaceBySlug(database.db, required(v, 'workspace'));
      for (const s of await listWebhookSecrets(database.db, workspace.id)) out(describeSecret(s));
    },
  },
  {
    name: 'webhook-secrets:revoke',
    summary: 'revoke a webhook secret: signatures made with it are refused from now on',
    usage: '--workspace SLUG --id SECRET_ID',
    options: { workspace: { type: 'string' }, id: { type: 'string' } },
    async run({ database, out }, v) {
      const workspace = await getWorkspaceBySlug(database.db, required(v, 'workspace'));
      const id = required(v, 'id');
      if (!(await revokeWebhookSecret(database.db, workspace.id, id))) {
        throw new CliError(`no active webhook secret with id ${id} in workspace ${workspace.slug}`);
      }
      out(`revoked ${id}`);
    },
  },
];
