// What the database loader (src/history/load.ts) reads to recompute a set of opportunities:
// their versions, all versions of roles naming them, those roles' contacts, leads converted into
// those contacts, and every chat sharing one of the contacts' or leads' normalized emails.
// In-memory position indexes stand in for the history tables' indexes.
import { normalizeEmail, type History } from '../../src/attribution/history';

type Positions = Map<string, number[]>;

export class HistoryIndex {
  private readonly oppVersions: Positions;
  private readonly roleVersionsByOpp: Positions;
  private readonly roleVersions: Positions;
  private readonly contactVersions: Positions;
  private readonly leadVersionsByContact: Positions;
  private readonly leadVersions: Positions;
  private readonly chatsByEmail: Positions;

  constructor(private readonly history: History) {
    this.oppVersions = positionsBy(history.opportunities, (v) => [v.opportunityId]);
    this.roleVersionsByOpp = positionsBy(history.contactRoles, (v) => [v.opportunityId]);
    this.roleVersions = positionsBy(history.contactRoles, (v) => [v.contactRoleId]);
    this.contactVersions = positionsBy(history.contacts, (v) => [v.contactId]);
    this.leadVersionsByContact = positionsBy(history.leads, (v) => [v.convertedContactId]);
    this.leadVersions = positionsBy(history.leads, (v) => [v.leadId]);
    this.chatsByEmail = positionsBy(history.chats, (c) => c.emails.map(normalizeEmail));
  }

  subHistory(opportunityIds: Iterable<string>): History {
    const h = this.history;
    const ids = new Set(opportunityIds);
    const opportunities = collect(h.opportunities, this.oppVersions, ids);
    const roleIds = keysAt(h.contactRoles, this.roleVersionsByOpp, ids, (v) => v.contactRoleId);
    const contactRoles = collect(h.contactRoles, this.roleVersions, roleIds);
    const contactIds = new Set(contactRoles.map((v) => v.contactId).filter((c): c is string => c !== null));
    const contacts = collect(h.contacts, this.contactVersions, contactIds);
    const leadIds = keysAt(h.leads, this.leadVersionsByContact, contactIds, (v) => v.leadId);
    const leads = collect(h.leads, this.leadVersions, leadIds);
    const emails = new Set<string>();
    for (const v of [...contacts, ...leads]) {
      const email = normalizeEmail(v.email);
      if (email) emails.add(email);
    }
    const chats = collect(h.chats, this.chatsByEmail, emails);
    return { opportunities, contactRoles, contacts, leads, chats };
  }
}

/** Positions of the items under each key they carry (null keys are not indexed). */
function positionsBy<T>(items: T[], keys: (item: T) => (string | null)[]): Positions {
  const index: Positions = new Map();
  items.forEach((item, pos) => {
    for (const key of keys(item)) {
      if (key === null) continue;
      const list = index.get(key);
      if (list) list.push(pos);
      else index.set(key, [pos]);
    }
  });
  return index;
}

/** The items under any of the keys, once each, in their original order (as a table scan would). */
function collect<T>(items: T[], index: Positions, keys: Iterable<string>): T[] {
  const positions = new Set<number>();
  for (const key of keys) for (const pos of index.get(key) ?? []) positions.add(pos);
  return [...positions].sort((a, b) => a - b).map((pos) => items[pos]!);
}

/** The distinct values of `field` of the items under any of the keys. */
function keysAt<T>(items: T[], index: Positions, keys: Iterable<string>, field: (item: T) => string): Set<string> {
  const out = new Set<string>();
  for (const key of keys) for (const pos of index.get(key) ?? []) out.add(field(items[pos]!));
  return out;
}
