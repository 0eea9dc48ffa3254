// Rule 2: which contacts each chat is linked to, by normalized email, through contacts' own
// emails (any version) and the emails of leads converted into them (any version).
import { normalizeEmail, type Chat, type ContactVersion, type LeadVersion } from './history';

/** A version carrying a link: contact versions (rank 0) are cited before lead versions (rank 1). */
interface LinkVersion {
  rank: 0 | 1;
  at: number;
  seq: number;
  versionId: string;
}

export interface LinkedChat {
  chat: Chat;
  /** The normalized email that made the link. */
  email: string;
}

const citationOrder = (a: LinkVersion, b: LinkVersion) =>
  a.rank - b.rank ||
  a.at - b.at ||
  a.seq - b.seq ||
  (a.versionId < b.versionId ? -1 : a.versionId > b.versionId ? 1 : 0);

export class LinkIndex {
  /** normalized email -> contact id -> versions (contact or lead) that carry the link */
  private readonly byEmail = new Map<string, Map<string, LinkVersion[]>>();
  private readonly chatsByContact = new Map<string, LinkedChat[]>();
  private readonly cited = new Map<LinkVersion[], string[]>();

  constructor(contacts: ContactVersion[], leads: LeadVersion[], chats: Chat[]) {
    for (const v of contacts) {
      const email = normalizeEmail(v.email);
      if (email) this.addEmail(email, v.contactId, { rank: 0, at: v.at, seq: v.seq, versionId: v.versionId });
    }
    this.addConvertedLeads(leads);
    for (const chat of chats) this.addChat(chat);
  }

  chatsOf(contactId: string): readonly LinkedChat[] {
    return this.chatsByContact.get(contactId) ?? [];
  }

  /**
   * The contact and lead versions whose email links `email` to the contact: contact versions
   * then lead versions, each in time order. Never input order (the loader has no ORDER BY),
   * because these ids are hashed into the ledger. Sorted on first use: few links are ever cited.
   */
  linkVersions(email: string, contactId: string): string[] {
    const versions = this.byEmail.get(email)?.get(contactId);
    if (!versions) return [];
    let ids = this.cited.get(versions);
    if (!ids) this.cited.set(versions, (ids = [...versions].sort(citationOrder).map((v) => v.versionId)));
    return ids;
  }

  private addEmail(email: string, contactId: string, version: LinkVersion): void {
    let contacts = this.byEmail.get(email);
    if (!contacts) this.byEmail.set(email, (contacts = new Map()));
    const versions = contacts.get(contactId);
    if (versions) versions.push(version);
    else contacts.set(contactId, [version]);
  }

  private addConvertedLeads(leads: LeadVersion[]): void {
    const byLead = new Map<string, LeadVersion[]>();
    for (const v of leads) {
      const list = byLead.get(v.leadId);
      if (list) list.push(v);
      else byLead.set(v.leadId, [v]);
    }
    for (const versions of byLead.values()) {
      const convertedInto = new Set<string>();
      for (const v of versions) if (v.convertedContactId) convertedInto.add(v.convertedContactId);
      if (convertedInto.size === 0) continue;
      for (const v of versions) {
        const email = normalizeEmail(v.email);
        if (!email) continue;
        for (const contactId of convertedInto)
          this.addEmail(email, contactId, { rank: 1, at: v.at, seq: v.seq, versionId: v.versionId });
      }
    }
  }

  private addChat(chat: Chat): void {
    const seen = new Set<string>();
    // When several of the chat's emails link one contact, the smallest one is cited, whatever the
    // order the emails were captured in.
    const emails = chat.emails
      .map(normalizeEmail)
      .filter((e): e is string => e !== null)
      .sort();
    for (const email of emails) {
      const contacts = this.byEmail.get(email);
      if (!contacts) continue;
      for (const contactId of contacts.keys()) {
        if (seen.has(contactId)) continue;
        seen.add(contactId);
        const list = this.chatsByContact.get(contactId);
        const linked = { chat, email };
        if (list) list.push(linked);
        else this.chatsByContact.set(contactId, [linked]);
      }
    }
  }
}
