// Rule 2: which contacts each chat is linked to, by normalized email, through contacts' own
// emails (any version) and the emails of leads converted into them (any version).
import { normalizeEmail, type Chat, type ContactVersion, type LeadVersion } from './history';

export interface LinkedChat {
  chat: Chat;
  /** The normalized email that made the link. */
  email: string;
}

export class LinkIndex {
  /** normalized email -> contact id -> versions (contact or lead) that carry the link */
  private readonly byEmail = new Map<string, Map<string, string[]>>();
  private readonly chatsByContact = new Map<string, LinkedChat[]>();

  constructor(contacts: ContactVersion[], leads: LeadVersion[], chats: Chat[]) {
    for (const v of contacts) {
      const email = normalizeEmail(v.email);
      if (email) this.addEmail(email, v.contactId, v.versionId);
    }
    this.addConvertedLeads(leads);
    for (const chat of chats) this.addChat(chat);
  }

  chatsOf(contactId: string): readonly LinkedChat[] {
    return this.chatsByContact.get(contactId) ?? [];
  }

  /** The contact and lead versions whose email links `email` to the contact. */
  linkVersions(email: string, contactId: string): string[] {
    return this.byEmail.get(email)?.get(contactId) ?? [];
  }

  private addEmail(email: string, contactId: string, versionId: string): void {
    let contacts = this.byEmail.get(email);
    if (!contacts) this.byEmail.set(email, (contacts = new Map()));
    const versions = contacts.get(contactId);
    if (versions) versions.push(versionId);
    else contacts.set(contactId, [versionId]);
  }

  private addConvertedLeads(leads: LeadVersion[]): void {
    const byLead = new Map<string, LeadVersion[]>();
    for (const v of leads) {
      const list = byLead.get(v.leadId);
      if (list) list.push(v); else byLead.set(v.leadId, [v]);
    }
    for (const versions of byLead.values()) {
      const convertedInto = new Set<string>();
      for (const v of versions) if (v.convertedContactId) convertedInto.add(v.convertedContactId);
      if (convertedInto.size === 0) continue;
      for (const v of versions) {
        const email = normalizeEmail(v.email);
        if (!email) continue;
        for (const contactId of convertedInto) this.addEmail(email, contactId, v.versionId);
      }
    }
  }

  private addChat(chat: Chat): void {
    const seen = new Set<string>();
    for (const raw of chat.emails) {
      const email = normalizeEmail(raw);
      if (!email) continue;
      const contacts = this.byEmail.get(email);
      if (!contacts) continue;
      for (const contactId of contacts.keys()) {
        if (seen.has(contactId)) continue;
        seen.add(contactId);
        const list = this.chatsByContact.get(contactId);
        const linked = { chat, email };
        if (list) list.push(linked); else this.chatsByContact.set(contactId, [linked]);
      }
    }
  }
}
