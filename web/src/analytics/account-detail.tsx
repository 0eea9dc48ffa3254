// One account's timeline (GET /api/v1/accounts/{id}): its chats, when each contact joined it and
// was first linked to a chat, and each opportunity's creation, amount and stage changes and closing,
// in time order, each on its day in the workspace's zone.
import type { ComponentChildren } from 'preact';
import { api, query } from '../api/client';
import type { AccountTimeline, AccountTimelineEvent } from '../api/account-types';
import { useResource } from '../api/use-resource';
import { Icon } from '../components/icons';
import { EmptyState, ErrorState, Loading } from '../components/states';
import { TeamFilter } from '../components/team-filter';
import { Card, Mono, PageHeader, Pill, type Tone } from '../components/ui';
import { count, instant, mediumDay, money } from '../lib/format';
import { Link, useLocation } from '../router';
import { teamsParam, useTeams } from '../pages/report-filters';
import { useAnalyticsFilters } from './analytics-filters';
import { CopyId, timeIn } from './accounts';
import './analytics.css';
import './accounts.css';

const KIND: Record<AccountTimelineEvent['kind'], { label: string; tone: Tone }> = {
  chat: { label: 'Chat', tone: 'blue' },
  contact_added: { label: 'Contact', tone: 'neutral' },
  contact_linked: { label: 'Linked', tone: 'neutral' },
  opportunity_created: { label: 'Opportunity', tone: 'purple' },
  amount_changed: { label: 'Amount', tone: 'orange' },
  stage_changed: { label: 'Stage', tone: 'orange' },
  opportunity_closed: { label: 'Closed', tone: 'green' },
  opportunity_reopened: { label: 'Reopened', tone: 'orange' },
  opportunity_deleted: { label: 'Deleted', tone: 'red' },
  opportunity_restored: { label: 'Restored', tone: 'neutral' },
};

const nameOf = (n: { id: string; name: string | null }) => n.name ?? n.id;
const amount = (v: string | null, currency: string) => (v === null ? 'no amount' : money(v, currency));

function Named({ n }: { n: { id: string; name: string | null } }) {
  return <span title={n.id}>{nameOf(n)}</span>;
}

/** What happened, as a sentence a person would say. */
function describe(e: AccountTimelineEvent, opportunityLink: (id: string) => string): ComponentChildren {
  if (e.kind === 'chat') {
    return (
      <>
        Chat with{' '}
        {e.contacts.length ? e.contacts.map((c, i) => [i > 0 && ', ', <Named key={c.id} n={c} />]) : 'a visitor'} ·{' '}
        {nameOf(e.team)}
        {e.agent && (
          <>
            {' '}
            · <Named n={e.agent} />
          </>
        )}
        {e.targetAccount && (
          <>
            {' '}
            <Pill tone="purple">Target account</Pill>
          </>
        )}
      </>
    );
  }
  if (e.kind === 'contact_added')
    return (
      <>
        <Named n={e.contact} /> joined the account{e.email && <span class="muted"> · {e.email}</span>}
      </>
    );
  if (e.kind === 'contact_linked')
    return (
      <>
        <Named n={e.contact} /> linked to a chat by email
      </>
    );
  const opp = (
    <Link href={opportunityLink(e.opportunity.id)} title={`Its story in the ledger · ${e.opportunity.id}`}>
      {nameOf(e.opportunity)}
    </Link>
  );
  switch (e.kind) {
    case 'opportunity_created':
      return (
        <>
          {opp} created at <strong data-amount={e.amount ?? ''}>{amount(e.amount, e.currency)}</strong>
          {e.stage && <> · {e.stage}</>}
        </>
      );
    case 'amount_changed':
      return (
        <>
          {opp} amount{' '}
          <strong data-from={e.from ?? ''} data-to={e.to ?? ''}>
            {amount(e.from, e.currency)} → {amount(e.to, e.currency)}
          </strong>
        </>
      );
    case 'stage_changed':
      return (
        <>
          {opp} stage {e.from ?? 'none'} → {e.to ?? 'none'}
        </>
      );
    case 'opportunity_closed':
      return (
        <>
          {opp} closed {e.won ? 'won' : 'lost'} at{' '}
          <strong data-amount={e.amount ?? ''}>{amount(e.amount, e.currency)}</strong>
        </>
      );
    case 'opportunity_reopened':
      return (
        <>
          {opp} reopened{e.stage && <> · {e.stage}</>}
        </>
      );
    case 'opportunity_deleted':
      return <>{opp} deleted in Salesforce</>;
    case 'opportunity_restored':
      return <>{opp} restored in Salesforce</>;
  }
}

export function AccountDetailPage({ accountId }: { accountId: string }) {
  const { report, set } = useAnalyticsFilters();
  const teams = useTeams();
  const teamQuery = query({ teams: teamsParam(report.teams) });
  // The list's range, sort and search ride along in the address, for the way back.
  const { query: address } = useLocation();
  const resource = useResource(
    (signal) => api.get<AccountTimeline>(`/api/v1/accounts/${encodeURIComponent(accountId)}${teamQuery}`, signal),
    [accountId, teamQuery],
  );
  const a = resource.data;
  const title = a ? nameOf(a.account) : 'Account';

  return (
    <>
      <nav class="breadcrumb" aria-label="Breadcrumb">
        <Link href={`/accounts${address.toString() ? `?${address.toString()}` : ''}`}>Accounts</Link>{' '}
        <span aria-hidden="true">/</span> <span aria-current="page">{a ? title : accountId}</span>
      </nav>
      <PageHeader
        title={title}
        subtitle={
          <span class="account-subtitle">
            <Mono>{accountId}</Mono>
            <CopyId id={accountId} what={title} />
            {a?.targetAccount && <Pill tone="purple">Target account</Pill>}
            {a?.account.salesforceUrl && (
              <a class="sf-link" href={a.account.salesforceUrl} target="_blank" rel="noopener noreferrer">
                <Icon name="salesforce" /> <span>Open in Salesforce</span>
                <span class="visually-hidden"> ({title}, new tab)</span>
              </a>
            )}
          </span>
        }
        actions={
          teams.data && <TeamFilter teams={teams.data} selected={report.teams} onChange={(t) => set({ teams: t })} />
        }
      />
      {resource.error && <ErrorState error={resource.error} retry={resource.reload} />}
      {!a && !resource.error && <Loading label="Loading the account's timeline" />}
      {a && (
        <>
          <section class="stat-grid" aria-label="Summary">
            <div class="stat">
              <span class="stat-label">Chats</span>
              <span class="stat-value" data-stat="chats">
                {count(a.chats)}
              </span>
            </div>
            <div class="stat">
              <span class="stat-label">Contacts</span>
              <span class="stat-value" data-stat="contacts">
                {count(a.contacts)}
              </span>
            </div>
            <div class="stat">
              <span class="stat-label">Opportunities</span>
              <span class="stat-value" data-stat="opportunities">
                {count(a.opportunities)}
              </span>
            </div>
            <div class="stat">
              <span class="stat-label">Target account</span>
              <span class="stat-value">{a.targetAccount ? 'Yes' : 'No'}</span>
            </div>
          </section>
          <Card
            id="account-timeline"
            title="Timeline"
            description={`Chats${a.teams ? ` of ${a.teams.join(', ')}` : ''}, contacts and opportunity changes, oldest first; days and times in ${a.timeZone}.`}
          >
            {a.timeline.length === 0 ? (
              <EmptyState title="Nothing yet">No chat, contact or opportunity for this account.</EmptyState>
            ) : (
              <ol class="timeline account-timeline">
                {a.timeline.map((e, i) => (
                  <li key={i} class="timeline-item" data-kind={e.kind}>
                    <div class="timeline-head">
                      <span class="timeline-day" title={instant(e.at, a.timeZone)}>
                        {mediumDay(e.day)}
                      </span>
                      <Pill tone={KIND[e.kind].tone}>{KIND[e.kind].label}</Pill>
                      <span
                        class="timeline-text"
                        title={'conversationId' in e ? `Conversation ${e.conversationId}` : undefined}
                      >
                        {describe(e, (id) => `/ledger/opportunities/${encodeURIComponent(id)}`)}
                      </span>
                      <span class="muted small">{timeIn(e.at, a.timeZone)}</span>
                    </div>
                  </li>
                ))}
              </ol>
            )}
          </Card>
        </>
      )}
    </>
  );
}
