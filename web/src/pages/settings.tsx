// Settings: the workspace's time zone, currency and attribution window, its teams, its API keys.
import { api } from '../api/client';
import type { ApiKey, SavedViews, WorkspaceSettings } from '../api/types';
import { useResource } from '../api/use-resource';
import { ErrorState, Loading } from '../components/states';
import { Card, DemoBadge, Mono, PageHeader } from '../components/ui';
import { Link } from '../router';
import { useSession } from '../session';
import { useTeams } from './report-filters';
import { ApiKeys } from './settings-keys';
import { TeamsEditor } from './settings-teams';
import { WorkspaceForm } from './settings-workspace';

export function SettingsPage() {
  const { me } = useSession();
  const workspace = useResource((signal) => api.get<WorkspaceSettings>('/api/v1/workspace', signal), []);
  const teams = useTeams();
  const keys = useResource(
    (signal) => api.get<{ apiKeys: ApiKey[] }>('/api/v1/admin/api-keys', signal).then((r) => r.apiKeys),
    [],
  );
  const views = useResource((signal) => api.get<SavedViews>('/api/v1/views', signal), []);
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
      </div>
    </>
  );
}
