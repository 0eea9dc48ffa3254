// The story of one opportunity, for an auditor: what it is worth now and what chat influenced,
// why influence started, each ledger entry with its causes, and the history behind them.
import { api } from '../api/client';
import type { OpportunityStory } from '../api/types';
import { useResource } from '../api/use-resource';
import { EmptyState, ErrorState, Loading } from '../components/states';
import { Card, Mono, PageHeader, Pill } from '../components/ui';
import { instant, measureLabel, mediumDay, money, reasonLabel } from '../lib/format';
import { Link } from '../router';
import { useWorkspace } from '../session';
import { reasonTone } from './ledger';
import { causesOf } from './story-causes';

export function StoryPage({ opportunityId }: { opportunityId: string }) {
  const { timeZone } = useWorkspace();
  const story = useResource(
    (signal) =>
      api.get<OpportunityStory>(`/api/v1/opportunities/${encodeURIComponent(opportunityId)}/attribution`, signal),
    [opportunityId],
  );
  const s = story.data;
  const latest = s?.versions[s.versions.length - 1];
  const title = latest?.name ?? opportunityId;

  return (
    <>
      <nav class="breadcrumb" aria-label="Breadcrumb">
        <Link href="/ledger">Ledger</Link> <span aria-hidden="true">/</span>{' '}
        <span aria-current="page">{s ? title : opportunityId}</span>
      </nav>
      <PageHeader
        title={s ? title : 'Opportunity'}
        subtitle={
          <>
            <Mono>{opportunityId}</Mono>
            {latest && (
              <>
                {' '}
                · {latest.stageName ?? 'No stage'}
                {latest.deleted ? ' · deleted in Salesforce' : ''}
              </>
            )}
          </>
        }
      />
      {story.error && <ErrorState error={story.error} retry={story.reload} />}
      {!s && !story.error && <Loading label="Loading the opportunity's story" />}
      {s && (
        <>
          <section class="stat-grid" aria-label="Summary">
            <div class="stat">
              <span class="stat-label">Amount now</span>
              <span class="stat-value">
                {latest?.amount ? money(latest.amount, latest.currencyIsoCode ?? s.currency) : '—'}
              </span>
            </div>
            <div class="stat">
              <span class="stat-label">Pipeline Influenced</span>
              <span class="stat-value" data-story="pipeline">
                {money(s.totals.pipelineInfluenced, s.currency)}
              </span>
            </div>
            <div class="stat">
              <span class="stat-label">Closed-Won Influenced</span>
              <span class="stat-value" data-story="closedWon">
                {money(s.totals.closedWonInfluenced, s.currency)}
              </span>
            </div>
            <div class="stat">
              <span class="stat-label">Influence started</span>
              <span class="stat-value">{s.influence ? mediumDay(s.influence.start.startDay) : 'Not influenced'}</span>
            </div>
          </section>

          <Card title="Why chat counts here">
            {s.influence ? (
              <>
                <p class="why">{s.influence.why}</p>
                {s.influence.byTeam.length > 1 && (
                  <p class="muted small">
                    Each team's own start:{' '}
                    {s.influence.byTeam.map((t) => `${t.teamName} on ${mediumDay(t.startDay)}`).join(', ')}.
                  </p>
                )}
              </>
            ) : (
              <p class="muted">No chat has influenced this opportunity: it books nothing.</p>
            )}
          </Card>

          <Card
            title="Ledger entries"
            description="Each change booked for this opportunity, with what caused it."
            id="story-ledger"
          >
            {s.ledger.length === 0 ? (
              <EmptyState title="Nothing booked">
                No entry: the opportunity was never influenced, or is worth nothing yet.
              </EmptyState>
            ) : (
              <ol class="timeline">
                {s.ledger.map((e) => (
                  <li key={e.seq} class="timeline-item" data-seq={e.seq}>
                    <div class="timeline-head">
                      <span class="timeline-day">{mediumDay(e.effectiveDay)}</span>
                      <Pill tone={e.measure === 'pipeline' ? 'blue' : 'green'}>{measureLabel(e.measure)}</Pill>
                      <span class={`amount ${e.amount.startsWith('-') ? 'negative' : ''}`}>
                        {money(e.amount, e.currency, { signed: true, cents: true })}
                      </span>
                      <Pill tone={reasonTone(e.reason)}>{reasonLabel(e.reason)}</Pill>
                      {e.correction && <Pill tone="purple">Correction</Pill>}
                      <span class="muted small">
                        recorded {instant(e.recordedAt, timeZone)} · #{e.seq}
                      </span>
                    </div>
                    <ul class="causes" aria-label="Causes">
                      {causesOf(s, e, timeZone).map((c) => (
                        <li key={c.id} class={`cause cause-${c.kind}`} title={c.id}>
                          {c.text}
                        </li>
                      ))}
                    </ul>
                  </li>
                ))}
              </ol>
            )}
          </Card>

          <div class="stack">
            <Card title="Opportunity history" description="Versions from Salesforce, oldest first.">
              <div class="table-wrap" tabIndex={0} role="region" aria-label="Opportunity versions">
                <table class="table">
                  <thead>
                    <tr>
                      <th scope="col">Changed</th>
                      <th scope="col" class="num">
                        Amount
                      </th>
                      <th scope="col">Stage</th>
                      <th scope="col">Close date</th>
                      <th scope="col">Seen in</th>
                    </tr>
                  </thead>
                  <tbody>
                    {s.versions.map((v) => (
                      <tr key={v.versionId} title={v.versionId}>
                        <td>{instant(v.occurredAt, timeZone)}</td>
                        <td class="num">{v.amount ? money(v.amount, v.currencyIsoCode ?? s.currency) : '—'}</td>
                        <td>
                          {v.deleted ? <Pill tone="orange">Deleted</Pill> : v.stageName}
                          {v.isWon && !v.deleted ? ' ✓' : ''}
                        </td>
                        <td>{v.closeDate ? mediumDay(v.closeDate) : '—'}</td>
                        <td class="muted small">{v.source.replace(/^salesforce:/, '')}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </Card>
            <Card title="Chats that touched it" description="Each conversation at its earliest touch.">
              {s.touches.length === 0 ? (
                <p class="muted">No chat touched this opportunity.</p>
              ) : (
                <ul class="plain-list">
                  {s.touches.map((t) => (
                    <li key={t.conversationId}>
                      <strong>{t.conversationId}</strong> <Pill title={t.teamId}>{t.teamName}</Pill>
                      {t.agentId && (
                        <span class="muted small" title={t.agentId}>
                          {' '}
                          {t.agentName ?? t.agentId}
                        </span>
                      )}
                      <div class="muted small">
                        Started {instant(t.startedAt, timeZone)} · {t.emails.join(', ') || 'no email'} · touched{' '}
                        {mediumDay(t.touchDay)}
                      </div>
                    </li>
                  ))}
                </ul>
              )}
              <h3 class="subheading">Contacts and roles</h3>
              <ul class="plain-list">
                {s.contactRoles
                  .filter((r, i, all) => all.findIndex((x) => x.contactRoleId === r.contactRoleId) === i)
                  .map((r) => {
                    const contact = [...s.contacts].reverse().find((c) => c.contactId === r.contactId);
                    return (
                      <li key={r.contactRoleId}>
                        <strong>{contact?.name ?? r.contactId}</strong>
                        {r.role && <span class="muted"> · {r.role}</span>}
                        {r.isPrimary && <Pill tone="blue">Primary</Pill>}
                        <div class="muted small">
                          {contact?.email ?? 'no email'} · since {instant(r.createdDate ?? r.occurredAt, timeZone)}
                        </div>
                      </li>
                    );
                  })}
              </ul>
            </Card>
          </div>
        </>
      )}
    </>
  );
}
