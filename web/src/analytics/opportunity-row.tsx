// One influenced opportunity as a table row (a card on phones: each cell carries its label).
import type { InfluencedOpportunity } from '../api/analytics-types';
import { Icon } from '../components/icons';
import { count, instant, mediumDay, money } from '../lib/format';
import { toCents } from '../lib/money';
import { Link } from '../router';

/** A share in whole percent, exactly (cents), rounded down; null of nothing. */
const pct = (part: string, whole: string) => {
  const w = toCents(whole);
  return w === 0n ? null : Number((toCents(part) * 100n) / w);
};

export function OpportunityRow({
  o,
  currency,
  timeZone,
  teamName,
}: {
  o: InfluencedOpportunity;
  currency: string;
  timeZone: string;
  teamName: (id: string) => string;
}) {
  const name = o.name ?? o.id;
  return (
    <tr data-opportunity={o.id}>
      <th scope="row" data-label="Opportunity">
        <Link href={`/ledger/opportunities/${encodeURIComponent(o.id)}`} title={`Its story in the ledger · ${o.id}`}>
          {name}
        </Link>
        {o.deleted && <span class="pill pill-red">Deleted</span>}
      </th>
      <td data-label="Account" title={o.account?.id}>
        {o.account ? (o.account.name ?? o.account.id) : '—'}
      </td>
      <td data-label="Owner" title={o.owner?.id}>
        {o.owner ? (o.owner.name ?? o.owner.id) : '—'}
      </td>
      <td data-label="Stage">{o.stage ?? '—'}</td>
      <td class="num" data-label="Amount" data-field="amount" data-value={o.amount ?? ''}>
        {o.amount === null ? '—' : money(o.amount, o.amountCurrency)}
      </td>
      <td data-label="Close date" data-field="closeDate" data-value={o.closeDate ?? ''}>
        {o.closeDate ? mediumDay(o.closeDate) : '—'}
      </td>
      <td data-label="First chat" data-field="firstChat" data-value={o.firstChat.startedAt}>
        <span class="cell-lines">
          <span>{instant(o.firstChat.startedAt, timeZone)}</span>
          <span class="muted small">
            {o.firstChat.teamName} · {o.firstChat.agentName ?? o.firstChat.agentId ?? 'no agent'}
          </span>
        </span>
      </td>
      <td class="num" data-label="Chats" data-field="chats" data-value={String(o.chats)}>
        {count(o.chats)}
      </td>
      <td
        class="num amount-cell"
        data-label="Pipeline influenced"
        data-field="pipelineInfluenced"
        data-value={o.pipelineInfluenced}
      >
        {money(o.pipelineInfluenced, currency)}
      </td>
      <td
        class="num amount-cell"
        data-label="Closed-won influenced"
        data-field="closedWonInfluenced"
        data-value={o.closedWonInfluenced}
      >
        {money(o.closedWonInfluenced, currency)}
      </td>
      <td data-label="Credit">
        <ul class="credit-list">
          {o.credit.map((c) => {
            const share = pct(c.pipeline, o.pipelineInfluenced) ?? pct(c.closedWon, o.closedWonInfluenced);
            return (
              <li
                key={c.conversationId}
                data-credit={c.conversationId}
                data-pipeline={c.pipeline}
                data-closed-won={c.closedWon}
                title={`Conversation ${c.conversationId}`}
              >
                <span>{c.agentName ?? c.agentId ?? teamName(c.teamId)}</span>{' '}
                <span class="muted">
                  {money(c.pipeline, currency)}
                  {c.closedWon !== '0.00' && ` · won ${money(c.closedWon, currency)}`}
                  {share !== null && o.credit.length > 1 && ` (${share}%)`}
                </span>
              </li>
            );
          })}
        </ul>
      </td>
      <td data-label="Salesforce">
        {o.salesforceUrl ? (
          <a class="sf-link" href={o.salesforceUrl} target="_blank" rel="noopener noreferrer">
            <Icon name="salesforce" /> <span>Open in Salesforce</span>
            <span class="visually-hidden"> ({name}, new tab)</span>
          </a>
        ) : (
          <span class="muted">—</span>
        )}
      </td>
    </tr>
  );
}
