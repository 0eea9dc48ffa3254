// A ledger entry's causes in words: each Salesforce version id and conversation id of the entry,
// looked up in the story itself. One change of the opportunity often arrives twice (its
// OpportunityHistory row and the Opportunity's own snapshot): it is listed once, with both sources.
import type { OpportunityStory } from '../api/types';
import { instant, money } from '../lib/format';

export interface Cause {
  kind: 'opportunity' | 'role' | 'contact' | 'chat' | 'unknown';
  /** The ids behind it, space-separated (more than one when sources agree). */
  id: string;
  text: string;
}

type Version = OpportunityStory['versions'][number];

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
  const opportunityCauses = sameStates(
    entry.causes.versions.flatMap((id) => story.versions.filter((x) => x.versionId === id)),
  ).map((group): Cause => {
    const v = group[0]!;
    const amount = v.amount === null ? 'no amount' : money(v.amount, v.currencyIsoCode ?? story.currency);
    const sources = [...new Set(group.map((x) => x.source.replace(/^salesforce:/, '')))].join(' and ');
    return {
      kind: 'opportunity',
      id: group.map((x) => x.versionId).join(' '),
      text: `Opportunity ${v.deleted ? 'deleted' : `at ${amount}, ${v.stageName ?? 'no stage'}`} · ${instant(v.occurredAt, timeZone)} · ${sources}`,
    };
  });
  const otherCauses = entry.causes.versions.flatMap((id): Cause[] => {
    if (story.versions.some((x) => x.versionId === id)) return [];
    const r = story.contactRoles.find((x) => x.versionId === id);
    if (r)
      return [
        {
          kind: 'role',
          id,
          text: `Contact role: ${contactName(r.contactId)}${r.role ? `, ${r.role}` : ''}${r.deleted ? ' (deleted)' : ''} · ${instant(r.occurredAt, timeZone)}`,
        },
      ];
    const c = story.contacts.find((x) => x.versionId === id);
    if (c) return [{ kind: 'contact', id, text: `Contact ${c.name ?? c.contactId}${c.email ? ` <${c.email}>` : ''}` }];
    return [{ kind: 'unknown', id, text: `Version ${id}` }];
  });
  const chatCauses = entry.causes.conversations.map((id): Cause => {
    const t = story.touches.find((x) => x.conversationId === id);
    return {
      kind: 'chat',
      id,
      text: t
        ? `Chat ${id} · team ${t.teamName}${t.agentId ? `, ${t.agentName ?? t.agentId}` : ''} · ${instant(t.startedAt, timeZone)}`
        : `Chat ${id}`,
    };
  });
  return [...chatCauses, ...opportunityCauses, ...otherCauses];
}

/** Versions grouped by the state the cause shows (amount, stage, deletion), earliest first in each group, groups in order. */
function sameStates(versions: Version[]): Version[][] {
  const groups = new Map<string, Version[]>();
  const key = (v: Version) => JSON.stringify([v.deleted, v.amount, v.currencyIsoCode, v.stageName]);
  const sorted = [...versions].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
  for (const v of sorted) groups.set(key(v), [...(groups.get(key(v)) ?? []), v]);
  return [...groups.values()];
}
