// A ledger entry's causes in words: each Salesforce version id and conversation id of the entry,
// looked up in the story itself.
import type { OpportunityStory } from '../api/types';
import { instant, money } from '../lib/format';

export interface Cause {
  kind: 'opportunity' | 'role' | 'contact' | 'chat' | 'unknown';
  id: string;
  text: string;
}

export function causesOf(
  story: OpportunityStory,
  entry: OpportunityStory['ledger'][number],
  timeZone: string,
): Cause[] {
  const contactName = (id: string | null) => {
    const versions = story.contacts.filter((c) => c.contactId === id);
    const last = versions[versions.length - 1];
    return last?.name ?? last?.email ?? id ?? 'a contact';
  };
  const versionCauses = entry.causes.versions.map((id): Cause => {
    const v = story.versions.find((x) => x.versionId === id);
    if (v) {
      const amount = v.amount === null ? 'no amount' : money(v.amount, v.currencyIsoCode ?? story.currency);
      return {
        kind: 'opportunity',
        id,
        text: `Opportunity ${v.deleted ? 'deleted' : `at ${amount}, ${v.stageName ?? 'no stage'}`} · ${instant(v.occurredAt, timeZone)} · ${v.source.replace(/^salesforce:/, '')}`,
      };
    }
    const r = story.contactRoles.find((x) => x.versionId === id);
    if (r)
      return {
        kind: 'role',
        id,
        text: `Contact role: ${contactName(r.contactId)}${r.role ? `, ${r.role}` : ''}${r.deleted ? ' (deleted)' : ''} · ${instant(r.occurredAt, timeZone)}`,
      };
    const c = story.contacts.find((x) => x.versionId === id);
    if (c) return { kind: 'contact', id, text: `Contact ${c.name ?? c.contactId}${c.email ? ` <${c.email}>` : ''}` };
    return { kind: 'unknown', id, text: `Version ${id}` };
  });
  const chatCauses = entry.causes.conversations.map((id): Cause => {
    const t = story.touches.find((x) => x.conversationId === id);
    return {
      kind: 'chat',
      id,
      text: t
        ? `Chat ${id} · team ${t.teamId}${t.agentId ? `, ${t.agentId}` : ''} · ${instant(t.startedAt, timeZone)}`
        : `Chat ${id}`,
    };
  });
  return [...chatCauses, ...versionCauses];
}
