// Transformations of a history for the property tests: reorder it, split it into early and late
// events, take the closure the worker loads for some opportunities, add harmless duplicates.
import {
  normalizeEmail,
  type Chat,
  type ContactRoleVersion,
  type ContactVersion,
  type History,
  type LeadVersion,
  type OpportunityVersion,
} from '../../src/attribution/history';

/** mulberry32: a tiny deterministic PRNG, so a shuffle is reproduced from fast-check's seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffled<T>(items: readonly T[], rand: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Every array of the history in a random order, a chat's emails included; `seq` stays on its version. */
export function shuffleHistory(h: History, seed: number): History {
  const rand = prng(seed);
  return {
    chats: shuffled(
      h.chats.map((c) => ({ ...c, emails: shuffled(c.emails, rand) })),
      rand,
    ),
    contacts: shuffled(h.contacts, rand),
    leads: shuffled(h.leads, rand),
    opportunities: shuffled(h.opportunities, rand),
    contactRoles: shuffled(h.contactRoles, rand),
  };
}

export type HistoryEvent =
  | { kind: 'chat'; item: Chat }
  | { kind: 'contact'; item: ContactVersion }
  | { kind: 'lead'; item: LeadVersion }
  | { kind: 'opportunity'; item: OpportunityVersion }
  | { kind: 'contactRole'; item: ContactRoleVersion };

export function eventsOf(h: History): HistoryEvent[] {
  return [
    ...h.chats.map((item) => ({ kind: 'chat' as const, item })),
    ...h.contacts.map((item) => ({ kind: 'contact' as const, item })),
    ...h.leads.map((item) => ({ kind: 'lead' as const, item })),
    ...h.opportunities.map((item) => ({ kind: 'opportunity' as const, item })),
    ...h.contactRoles.map((item) => ({ kind: 'contactRole' as const, item })),
  ];
}

export function historyOf(events: HistoryEvent[]): History {
  const h: History = { chats: [], contacts: [], leads: [], opportunities: [], contactRoles: [] };
  for (const e of events) {
    if (e.kind === 'chat') h.chats.push(e.item);
    else if (e.kind === 'contact') h.contacts.push(e.item);
    else if (e.kind === 'lead') h.leads.push(e.item);
    else if (e.kind === 'opportunity') h.opportunities.push(e.item);
    else h.contactRoles.push(e.item);
  }
  return h;
}

const nonNull = <T>(x: T | null | undefined): x is T => x !== null && x !== undefined;

/** Opportunities named by any version of the roles that (in any version) name one of these contacts. */
function opportunitiesOfContacts(h: History, contactIds: Set<string>): string[] {
  const roleIds = new Set(
    h.contactRoles.filter((v) => v.contactId && contactIds.has(v.contactId)).map((v) => v.contactRoleId),
  );
  return h.contactRoles
    .filter((v) => roleIds.has(v.contactRoleId))
    .map((v) => v.opportunityId)
    .filter(nonNull);
}

/** Contacts an email reaches: through a contact's own email, or a lead converted into the contact. */
function contactsOfEmail(h: History, email: string): string[] {
  const direct = h.contacts.filter((v) => normalizeEmail(v.email) === email).map((v) => v.contactId);
  const leadIds = new Set(h.leads.filter((v) => normalizeEmail(v.email) === email).map((v) => v.leadId));
  const converted = h.leads
    .filter((v) => leadIds.has(v.leadId))
    .map((v) => v.convertedContactId)
    .filter(nonNull);
  return [...direct, ...converted];
}

/**
 * The opportunities whose attribution late events may change, looked up in the full history as
 * the worker's dirty marks do: conservative, never missing one.
 */
export function affectedOpportunities(full: History, late: HistoryEvent[]): Set<string> {
  const opps = new Set<string>();
  const contacts = new Set<string>();
  for (const e of late) {
    if (e.kind === 'opportunity') opps.add(e.item.opportunityId);
    if (e.kind === 'contactRole') {
      const id = e.item.contactRoleId;
      for (const v of full.contactRoles) if (v.contactRoleId === id && v.opportunityId) opps.add(v.opportunityId);
    }
    if (e.kind === 'contact') contacts.add(e.item.contactId);
    if (e.kind === 'lead') {
      const id = e.item.leadId;
      for (const v of full.leads) if (v.leadId === id && v.convertedContactId) contacts.add(v.convertedContactId);
    }
    if (e.kind === 'chat') {
      for (const email of e.item.emails.map(normalizeEmail).filter(nonNull)) {
        for (const k of contactsOfEmail(full, email)) contacts.add(k);
      }
    }
  }
  for (const o of opportunitiesOfContacts(full, contacts)) opps.add(o);
  return opps;
}

/** What the worker loads to recompute these opportunities (src/history/load.ts), input order kept. */
export function closureOf(h: History, ids: Set<string>): History {
  const roleIds = new Set(
    h.contactRoles.filter((v) => v.opportunityId && ids.has(v.opportunityId)).map((v) => v.contactRoleId),
  );
  const contactRoles = h.contactRoles.filter((v) => roleIds.has(v.contactRoleId));
  const contactIds = new Set(contactRoles.map((v) => v.contactId).filter(nonNull));
  const contacts = h.contacts.filter((v) => contactIds.has(v.contactId));
  const leadIds = new Set(
    h.leads.filter((v) => v.convertedContactId && contactIds.has(v.convertedContactId)).map((v) => v.leadId),
  );
  const leads = h.leads.filter((v) => leadIds.has(v.leadId));
  const emails = new Set([...contacts, ...leads].map((v) => normalizeEmail(v.email)).filter(nonNull));
  return {
    opportunities: h.opportunities.filter((v) => ids.has(v.opportunityId)),
    contactRoles,
    contacts,
    leads,
    chats: h.chats.filter((c) => c.emails.some((e) => emails.has(normalizeEmail(e) ?? ''))),
  };
}

const maxSeq = (h: History) => Math.max(0, ...eventsOf(h).map((e) => ('seq' in e.item ? e.item.seq : 0)));

/** The same conversation again under another id (say, ingested twice). */
export function withDuplicateChat(h: History, chat: Chat, newId: string): History {
  return { ...h, chats: [...h.chats, { ...chat, id: newId }] };
}

/** A second role for the same contact on the same opportunity, version for version. */
export function withDuplicateRole(h: History, roleId: string, newRoleId: string): History {
  let seq = maxSeq(h) + 1;
  const copies = h.contactRoles
    .filter((v) => v.contactRoleId === roleId)
    .sort((a, b) => a.at - b.at || a.seq - b.seq)
    .map((v) => ({ ...v, contactRoleId: newRoleId, versionId: `${newRoleId}.${v.versionId}`, seq: seq++ }));
  return { ...h, contactRoles: [...h.contactRoles, ...copies] };
}
