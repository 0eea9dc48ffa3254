// Saved views: the dashboard's filters (range, teams) and a credit model under a name, each with
// its weekly digest (/digest/{view}, a server page: opened with a full page load). The dashboard
// saves one with SaveViewButton; this page lists, opens and deletes them.
import { useState } from 'preact/hooks';
import type { CreditModel } from '../api/analytics-types';
import { api, ApiError, query } from '../api/client';
import type { SavedView, SavedViews, Team } from '../api/types';
import { useResource } from '../api/use-resource';
import { CREDIT_MODEL_LABELS, CreditModelPicker } from '../components/credit-model-picker';
import { ConfirmDialog, Dialog } from '../components/dialog';
import { Callout, EmptyState, ErrorState, Loading } from '../components/states';
import { useToast } from '../components/toast';
import { Card, PageHeader } from '../components/ui';
import { PRESETS } from '../lib/days';
import { longDay } from '../lib/format';
import { Link, navigate } from '../router';
import { useTeams, type ReportFilters } from './report-filters';

/** The dashboard's address for a view's filters (the format useReportFilters reads). */
export function dashboardLinkOf(v: SavedView): string {
  return `/${query({
    range: v.range.preset === '30d' ? null : v.range.preset,
    from: v.range.from,
    to: v.range.to,
    teams: v.teams?.join(',') ?? null,
  })}`;
}

function rangeText(v: SavedView): string {
  if (v.range.preset === 'custom' && v.range.from && v.range.to)
    return `${longDay(v.range.from)} – ${longDay(v.range.to)}`;
  return PRESETS.find((p) => p.id === v.range.preset)?.label ?? v.range.preset;
}

function teamsText(v: SavedView, teams: Team[] | null): string {
  if (!v.teams) return 'All teams';
  return v.teams.map((id) => teams?.find((t) => t.id === id)?.name ?? id).join(', ');
}

export function ViewsPage() {
  const toast = useToast();
  const views = useResource((signal) => api.get<SavedViews>('/api/v1/views', signal), []);
  const teams = useTeams();
  const [deleting, setDeleting] = useState<SavedView | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const remove = async () => {
    if (!deleting) return;
    setBusy(true);
    try {
      await api.delete(`/api/v1/views/${deleting.id}`);
      toast(`View “${deleting.name}” deleted.`);
      views.reload();
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
      setDeleting(null);
    }
  };

  return (
    <>
      <PageHeader
        title="Saved views"
        subtitle="Dashboard filters under a name, each with a weekly digest of last week"
        actions={
          <Link class="button button-secondary" href="/">
            Save a view from the dashboard
          </Link>
        }
      />
      {views.data && !views.data.email.configured && (
        <Callout tone="info" title="Digests are shown here, not emailed">
          This service has no SMTP server configured, so no digest is sent.{' '}
          <Link class="inline-link" href="/settings">
            Settings
          </Link>{' '}
          says how to configure one.
        </Callout>
      )}
      {error && <ErrorState error={error} title="The view was not deleted" />}
      {views.error && <ErrorState error={views.error} retry={views.reload} />}
      {!views.data && !views.error && <Loading label="Loading the saved views" />}
      {views.data && views.data.views.length === 0 && (
        <Card>
          <EmptyState title="No saved views yet">
            On the dashboard, choose a range and teams, then “Save view”. Each view has a weekly digest.
          </EmptyState>
        </Card>
      )}
      {views.data && views.data.views.length > 0 && (
        <ul class="view-list" aria-label="Saved views">
          {views.data.views.map((v) => (
            <li key={v.id} class="card view-item" data-testid="saved-view">
              <div class="view-item-text">
                <h2 class="card-title">{v.name}</h2>
                <p class="muted small">
                  {rangeText(v)} · {teamsText(v, teams.data)} · {CREDIT_MODEL_LABELS[v.model].label} credit
                </p>
                <p class="muted small">
                  {v.digestRecipients.length === 0
                    ? 'Digest: not emailed'
                    : `Digest emailed on Mondays to ${v.digestRecipients.join(', ')}`}
                </p>
              </div>
              <div class="view-item-actions">
                <Link class="button button-secondary button-small" href={dashboardLinkOf(v)}>
                  Open<span class="visually-hidden"> {v.name}</span>
                </Link>
                {/* A server page, not a route of the app: a plain link loads it. */}
                <a class="button button-primary button-small" href={v.digestUrl}>
                  Open digest<span class="visually-hidden"> of {v.name}</span>
                </a>
                <button type="button" class="button button-ghost button-small" onClick={() => setDeleting(v)}>
                  Delete<span class="visually-hidden"> {v.name}</span>
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <ConfirmDialog
        open={deleting !== null}
        title="Delete this view?"
        confirmLabel="Delete view"
        danger
        busy={busy}
        onConfirm={() => void remove()}
        onCancel={() => setDeleting(null)}
      >
        “{deleting?.name}” and its weekly digest go; the numbers stay as they are.
      </ConfirmDialog>
    </>
  );
}

/** "Save view" on the dashboard: its current range and teams, a credit model and recipients, under a name. */
export function SaveViewButton({ filters }: { filters: ReportFilters }) {
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [model, setModel] = useState<CreditModel>('linear');
  const [recipients, setRecipients] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const saved = await api.post<SavedView>('/api/v1/views', {
        name,
        range:
          filters.preset === 'custom'
            ? { preset: 'custom', from: filters.range.from, to: filters.range.to }
            : { preset: filters.preset },
        teams: filters.teams,
        model,
        digestRecipients: recipients
          .split(/[\s,;]+/)
          .map((s) => s.trim())
          .filter(Boolean),
      });
      setOpen(false);
      setName('');
      setRecipients('');
      toast(`View “${saved.name}” saved.`);
      navigate('/views');
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" class="button button-secondary" onClick={() => setOpen(true)}>
        Save view
      </button>
      <Dialog
        open={open}
        title="Save these filters as a view"
        onClose={() => setOpen(false)}
        actions={
          <>
            <button type="button" class="button button-secondary" onClick={() => setOpen(false)}>
              Cancel
            </button>
            <button type="submit" form="save-view-form" class="button button-primary" disabled={busy || !name.trim()}>
              {busy ? 'Saving…' : 'Save view'}
            </button>
          </>
        }
      >
        <form
          id="save-view-form"
          class="stack"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          {error && <ErrorState error={error} title="The view was not saved" />}
          <div class="field">
            <label for="view-name">Name</label>
            <input
              id="view-name"
              class="input"
              value={name}
              required
              maxLength={120}
              placeholder="Support, last 30 days"
              onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)}
            />
          </div>
          <CreditModelPicker id="view-model" value={model} onChange={setModel} />
          <div class="field">
            <label for="view-recipients">Email the weekly digest to (optional)</label>
            <input
              id="view-recipients"
              class="input"
              value={recipients}
              type="text"
              inputMode="email"
              placeholder="revops@example.com, cfo@example.com"
              aria-describedby="view-recipients-hint"
              onInput={(e) => setRecipients((e.currentTarget as HTMLInputElement).value)}
            />
            <p class="field-hint" id="view-recipients-hint">
              Sent on Mondays at 08:00 in the workspace time zone, where email is configured.
            </p>
          </div>
        </form>
      </Dialog>
    </>
  );
}
