// The Salesforce connection: connect, reconnect or disconnect the org; the sync per object with
// progress, the last error in plain words, the org's API usage, and "Sync now". While a sync runs
// the page looks again every few seconds.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';
import type { SalesforceStatus } from '../api/types';
import { useResource } from '../api/use-resource';
import { ConfirmDialog } from '../components/dialog';
import { Icon } from '../components/icons';
import { Callout, ErrorState, Loading } from '../components/states';
import { useToast } from '../components/toast';
import { Card, Mono, PageHeader, Pill } from '../components/ui';
import { instant, relative } from '../lib/format';
import { useSession } from '../session';
import { Link, useLocation } from '../router';
import { ConnectionCheck } from './salesforce-check';
import { ConnectForm, type Environment } from './salesforce-connect';
import { ApiUsage, ObjectsTable, QuarantineList, RunsList } from './salesforce-sync';

const POLL_MS = 2000;
const STATUS: Record<string, { label: string; tone: 'green' | 'orange' | 'neutral' }> = {
  connected: { label: 'Connected', tone: 'green' },
  needs_reauth: { label: 'Needs reconnecting', tone: 'orange' },
  disconnected: { label: 'Disconnected', tone: 'neutral' },
};

/** ?connect=sandbox&domain=…&workspace=…: the link the CLI's salesforce:connect prints. */
function connectLink(
  query: URLSearchParams,
): { environment: Environment; domain?: string; workspace: string | null } | null {
  const environment = query.get('connect');
  if (environment !== 'production' && environment !== 'sandbox' && environment !== 'custom') return null;
  const domain = query.get('domain');
  return { environment, ...(domain ? { domain } : {}), workspace: query.get('workspace') };
}

export function SalesforcePage() {
  const { me, options } = useSession();
  const link = connectLink(useLocation().query);
  const toast = useToast();
  const status = useResource((signal) => api.get<SalesforceStatus>('/api/v1/salesforce/connection', signal), []);
  const [queued, setQueued] = useState(false);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const s = status.data;
  const running = s !== null && s.status !== 'not_connected' && s.running;

  useEffect(() => {
    if (!running && !queued) return;
    const timer = setTimeout(status.reload, POLL_MS);
    return () => clearTimeout(timer);
  }, [running, queued, s]);
  useEffect(() => {
    if (running) setQueued(false);
  }, [running]);

  const syncNow = async () => {
    setActionError(null);
    try {
      await api.post('/api/v1/salesforce/sync');
      setQueued(true);
      toast('Sync queued: it starts in a moment.');
      status.reload();
    } catch (err) {
      setActionError(err as ApiError);
    }
  };
  const disconnect = async () => {
    setBusy(true);
    try {
      const result = await api.delete<{ revokedAtSalesforce: boolean; revokeError?: string }>(
        '/api/v1/salesforce/connection',
      );
      toast(
        result.revokedAtSalesforce
          ? 'Disconnected; Salesforce revoked our access.'
          : 'Disconnected here. Salesforce did not confirm: revoke the app in Salesforce Setup too.',
      );
      setConfirming(false);
      status.reload();
    } catch (err) {
      setActionError(err as ApiError);
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeader
        title="Salesforce"
        subtitle="Where the opportunities come from. The sync reads your org incrementally every few minutes; synced history and the ledger stay if you disconnect."
      />
      {me.workspace.isDemo && (
        <Callout tone="info" title="This is the local test Salesforce">
          The demo org runs inside <code>npm start</code>; its consent page is marked as a test double. Nothing reaches
          a real Salesforce.
        </Callout>
      )}
      {!options.salesforce && (
        <Callout tone="warning" title="Salesforce is not configured on this server">
          Set SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET (your connected app) and restart the service to connect
          an org.
        </Callout>
      )}
      {link && link.workspace && link.workspace !== me.workspace.slug && (
        <Callout tone="warning" title="This link is for another workspace">
          It was made to connect Salesforce to the workspace “{link.workspace}”, and you are signed in to “
          {me.workspace.slug}”. Sign out and sign in to {link.workspace} to connect it there: an org belongs to one
          workspace.
        </Callout>
      )}
      {link && s && s.status !== 'connected' && (
        <Callout tone="info" title="Finish connecting Salesforce">
          Check where your users sign in below, then press the button: Salesforce asks you to allow access.
        </Callout>
      )}
      {actionError && <ErrorState error={actionError} title="That did not work" />}
      {status.error && <ErrorState error={status.error} retry={status.reload} />}
      {!s && !status.error && <Loading label="Loading the connection" />}

      {s && s.status === 'not_connected' && options.salesforce && (
        <Card
          title="Connect your Salesforce org"
          description="Pipeline Influenced and Closed-Won Influenced come from your opportunities, matched to chats by email."
        >
          <ConnectForm label="Connect Salesforce" {...(link ? { initial: link } : {})} />
        </Card>
      )}

      {s && s.status !== 'not_connected' && (
        <>
          <Card
            class="connection-card"
            title={
              <span class="with-pill">
                Org <Mono>{s.org.id}</Mono> <Pill tone={STATUS[s.status]!.tone}>{STATUS[s.status]!.label}</Pill>
              </span>
            }
            description={
              <>
                {connectedUser(s.org)} · {s.org.instanceUrl} · connected {relative(s.connectedAt)} · syncs every{' '}
                {s.syncIntervalMinutes} min
              </>
            }
            actions={
              s.status === 'connected' ? (
                <>
                  <button
                    type="button"
                    class="button button-primary"
                    onClick={() => void syncNow()}
                    disabled={running || queued}
                  >
                    <Icon name="refresh" size={16} /> {running ? 'Syncing…' : queued ? 'Queued…' : 'Sync now'}
                  </button>
                  <button type="button" class="button button-secondary" onClick={() => setConfirming(true)}>
                    Disconnect
                  </button>
                </>
              ) : undefined
            }
          >
            {running && (
              <p class="live" role="status">
                <span class="pulse" aria-hidden="true" /> Sync in progress — this page updates by itself.
              </p>
            )}
            {!running && s.status === 'connected' && s.runs.some((r) => r.outcome === 'ok') && (
              <Callout
                tone="success"
                title="Synced: the numbers are ready"
                action={
                  <Link class="button button-primary button-small" href="/">
                    Open the dashboard
                  </Link>
                }
              >
                Pipeline and Closed-Won Influenced count the synced opportunities from now on; the sync runs every{' '}
                {s.syncIntervalMinutes} min.
              </Callout>
            )}
            {s.lastError && (
              <Callout tone={s.status === 'connected' ? 'warning' : 'error'} title="Last error">
                {s.lastError.message}{' '}
                <span class="muted small">({instant(s.lastError.at, me.workspace.timeZone)})</span>
              </Callout>
            )}
            {s.apiUsage ? (
              <ApiUsage usage={s.apiUsage} />
            ) : (
              <p class="muted small">API usage shows after the first sync.</p>
            )}
          </Card>

          {s.status !== 'connected' && options.salesforce && (
            <Card
              title={s.status === 'needs_reauth' ? 'Reconnect the org' : 'Connect the org again'}
              description={
                s.status === 'needs_reauth'
                  ? 'Salesforce no longer accepts our access (a revoked or expired token, or a changed password). Sign in again to resume the sync from where it stopped.'
                  : 'Nothing is synced while disconnected. Connect the same org to resume.'
              }
            >
              <ConnectForm label="Reconnect Salesforce" {...(link ? { initial: link } : {})} />
            </Card>
          )}

          {s.status === 'connected' && <ConnectionCheck timeZone={me.workspace.timeZone} />}

          {s.quarantine.total > 0 && (
            <Card
              title={`Records in quarantine (${s.quarantine.total})`}
              description="Records the sync could not store, kept aside with the reason so they never block the others. Every run tries them again; one stored at last leaves this list."
            >
              <QuarantineList quarantine={s.quarantine} timeZone={me.workspace.timeZone} />
            </Card>
          )}

          <Card
            title="Objects"
            description="Each object's last run, the instant up to which every change is read (the start of its last successful run), and the progress of a long first load."
          >
            {s.objects.length === 0 ? (
              <p class="muted">The first sync has not reached any object yet.</p>
            ) : (
              <ObjectsTable status={s} timeZone={me.workspace.timeZone} />
            )}
          </Card>
          <Card title="Recent runs">
            <RunsList runs={s.runs} timeZone={me.workspace.timeZone} />
          </Card>
        </>
      )}

      <ConfirmDialog
        open={confirming}
        title="Disconnect Salesforce?"
        confirmLabel="Disconnect"
        danger
        busy={busy}
        onConfirm={() => void disconnect()}
        onCancel={() => setConfirming(false)}
      >
        <p>
          The sync stops and our access token is revoked at Salesforce. The synced history and the ledger stay: they are
          the audit trail. You can connect the same org again later.
        </p>
      </ConfirmDialog>
    </>
  );
}

/** "Rita Ops (rita.ops@acme.example)", from the identity URL when the id scope was granted. */
function connectedUser(org: { username: string | null; userDisplayName: string | null }): string {
  if (org.userDisplayName) return org.username ? `${org.userDisplayName} (${org.username})` : org.userDisplayName;
  return org.username ?? 'Integration user';
}
