// Settings: the workspace's time zone, currency and attribution window, its teams, its API keys
// and webhook secrets, the signed-in user's password and the workspace's users.
import { api } from '../api/client';
import type { ApiKey, SavedViews, WebhookSecret, WorkspaceSettings, WorkspaceUser } from '../api/types';
import { useResource } from '../api/use-resource';
import { ErrorState, Loading } from '../components/states';
import { Card, DemoBadge, Mono, PageHeader } from '../components/ui';
import { Link } from '../router';
import { useSession } from '../session';
import { useTeams } from './report-filters';
import { ApiKeys } from './settings-keys';
import { TeamsEditor } from './settings-teams';
import { WebhookSecrets } from './settings-webhooks';
import { UsersList } from './settings-users';
import { PasswordChangeForm } from '../components/password-form';
import { useToast } from '../components/toast';
import { WorkspaceForm } from './settings-workspace';

export function SettingsPage() {
  const { me } = useSession();
  const toast = useToast();
  const people = useResource(
    (signal) => api.get<{ users: WorkspaceUser[] }>('/api/v1/admin/users', signal).then((r) => r.users),
    [],
  );
  const workspace = useResource((signal) => api.get<WorkspaceSettings>('/api/v1/workspace', signal), []);
  const teams = useTeams();
  const keys = useResource(
    (signal) => api.get<{ apiKeys: ApiKey[] }>('/api/v1/admin/api-keys', signal).then((r) => r.apiKeys),
    [],
  );
  const views = useResource((signal) => api.get<SavedViews>('/api/v1/views', signal), []);
  const secrets = useResource(
    (signal) =>
      api
        .get<{ webhookSecrets: WebhookSecret[] }>('/api/v1/admin/webhook-secrets', signal)
        .then((r) => r.webhookSecrets),
    [],
  );
  return (
    <>
      <PageHeader
        title="Settings"
        subtitle={
          <>
            {me.workspace.name} <Mono>{me.workspace.slug}</Mono> {me.workspace.isDemo && <DemoBadge />}
          </>
        }
      />
      <div class="settings-grid">
        <Card
          title="Reporting"
          description="How days and amounts are counted in this workspace."
          id="settings-reporting"
        >
          {workspace.error && <ErrorState error={workspace.error} retry={workspace.reload} />}
          {!workspace.data && !workspace.error && <Loading label="Loading the settings" />}
          {workspace.data && <WorkspaceForm workspace={workspace.data} />}
        </Card>
        <Card
          title="Teams"
          description="Rename a team so the dashboard shows a name people recognise."
          id="settings-teams"
        >
          {teams.error && <ErrorState error={teams.error} retry={teams.reload} />}
          {!teams.data && !teams.error && <Loading label="Loading the teams" />}
          {teams.data && <TeamsEditor teams={teams.data} reload={teams.reload} />}
        </Card>
        <Card
          title="Weekly digest email"
          description="Each saved view's digest of last week, emailed to its recipients on Mondays at 08:00 (workspace time)."
          id="settings-digest"
        >
          {views.error && <ErrorState error={views.error} retry={views.reload} />}
          {!views.data && !views.error && <Loading label="Loading the email settings" />}
          {views.data &&
            (views.data.email.configured ? (
              <p data-testid="digest-email">
                Email is configured: digests go out on Mondays. Choose recipients per view in{' '}
                <Link class="inline-link" href="/views">
                  Views
                </Link>
                .
              </p>
            ) : (
              <div data-testid="digest-email">
                <p>
                  No SMTP server is configured, so digests are not emailed; each is still shown in{' '}
                  <Link class="inline-link" href="/views">
                    Views
                  </Link>{' '}
                  (“Open digest”).
                </p>
                <p>
                  To send them, set <Mono>SMTP_URL</Mono> (such as{' '}
                  <Mono>smtps://user:password@smtp.example.com:465</Mono>) and <Mono>DIGEST_FROM</Mono> in the service’s
                  environment and restart it (see README, “Weekly digest email”).
                </p>
              </div>
            ))}
        </Card>
        <Card
          title="API keys"
          description="For machines: the chat product sends conversations with one; people sign in instead."
          id="settings-keys"
          class="span-2"
        >
          {keys.error && <ErrorState error={keys.error} retry={keys.reload} />}
          {!keys.data && !keys.error && <Loading label="Loading the API keys" />}
          {keys.data && <ApiKeys keys={keys.data} teams={teams.data ?? []} reload={keys.reload} />}
        </Card>
        <Card
          title="Webhook secrets"
          description="For the chat product's signed pushes: shown once, rotated without losing a delivery."
          id="settings-webhooks"
          class="span-2"
        >
          {secrets.error && <ErrorState error={secrets.error} retry={secrets.reload} />}
          {!secrets.data && !secrets.error && <Loading label="Loading the webhook secrets" />}
          {secrets.data && <WebhookSecrets secrets={secrets.data} slug={me.workspace.slug} reload={secrets.reload} />}
        </Card>
        <Card title="Your password" description={`For ${me.user.email}.`} id="settings-password">
          {me.user.isDemo ? (
            <p class="muted">The demo visitor signs in without a password.</p>
          ) : (
            <PasswordChangeForm onChanged={() => toast('Password changed. Your other sessions have ended.')} />
          )}
        </Card>
        <Card title="Users" description="The people who sign in to this workspace." id="settings-users">
          {people.error && <ErrorState error={people.error} retry={people.reload} />}
          {!people.data && !people.error && <Loading label="Loading the users" />}
          {people.data && <UsersList users={people.data} reload={people.reload} />}
        </Card>
      </div>
    </>
  );
}
