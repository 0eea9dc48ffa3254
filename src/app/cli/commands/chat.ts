// Chat commands: teams (add or rename, list) and webhook signing secrets (create, list, revoke).
import { listTeams, saveTeam } from '../../../workspaces/teams';
import {
  createWebhookSecret,
  listWebhookSecrets,
  revokeWebhookSecret,
  type WebhookSecretView,
} from '../../../access/webhook-secrets';
import { getWorkspaceBySlug } from '../../../workspaces/workspaces';
import { required, usageError, type CliCommand } from '../command';

const describeSecret = (s: WebhookSecretView) =>
  `${s.id}\tcreated ${s.createdAt}\t${s.revokedAt ? `revoked ${s.revokedAt}` : 'active'}`;

export const chatCommands: CliCommand[] = [
  {
    name: 'teams:add',
    summary: 'add a team (or rename it); ingestion also adds every team it sees, named after its id',
    usage: '--workspace SLUG --id TEAM_ID --name NAME',
    options: { workspace: { type: 'string' }, id: { type: 'string' }, name: { type: 'string' } },
    async run({ root, out }, v) {
      const { db } = await root.database();
      const workspace = await getWorkspaceBySlug(db, required(v, 'workspace'));
      const { team, created } = await saveTeam(db, workspace.id, { id: required(v, 'id'), name: required(v, 'name') });
      out(`${created ? 'added' : 'renamed'}\t${team.id}\t${team.name}`);
    },
  },
  {
    name: 'teams:list',
    summary: 'list the teams of a workspace',
    usage: '--workspace SLUG',
    options: { workspace: { type: 'string' } },
    async run({ root, out }, v) {
      const { db } = await root.database();
      const workspace = await getWorkspaceBySlug(db, required(v, 'workspace'));
      for (const t of await listTeams(db, workspace.id, null)) out(`${t.id}\t${t.name}\tcreated ${t.createdAt}`);
    },
  },
  {
    name: 'webhook-secrets:create',
    summary: 'create a webhook signing secret and print it once (the old ones stay active until revoked)',
    usage: '--workspace SLUG',
    options: { workspace: { type: 'string' } },
    async run({ root, out }, v) {
      const { db } = await root.database();
      const workspace = await getWorkspaceBySlug(db, required(v, 'workspace'));
      const created = await createWebhookSecret(db, root.secrets(), workspace.id);
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
    async run({ root, out }, v) {
      const { db } = await root.database();
      const workspace = await getWorkspaceBySlug(db, required(v, 'workspace'));
      for (const s of await listWebhookSecrets(db, workspace.id)) out(describeSecret(s));
    },
  },
  {
    name: 'webhook-secrets:revoke',
    summary: 'revoke a webhook secret: signatures made with it are refused from now on',
    usage: '--workspace SLUG --id SECRET_ID',
    options: { workspace: { type: 'string' }, id: { type: 'string' } },
    async run({ root, out }, v) {
      const { db } = await root.database();
      const workspace = await getWorkspaceBySlug(db, required(v, 'workspace'));
      const id = required(v, 'id');
      if (!(await revokeWebhookSecret(db, workspace.id, id))) {
        throw usageError(`no active webhook secret with id ${id} in workspace ${workspace.slug}`);
      }
      out(`revoked ${id}`);
    },
  },
];
