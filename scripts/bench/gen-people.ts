// Contacts (1-2 versions) and leads, some converted into those contacts. Emails come from a pool
// shaped like a B2B CRM: mostly one person per address, a few shared or changed over time.
import { normalizeEmail, type ContactVersion, type LeadVersion } from '../../src/attribution/history';
import { DAY_MS, sfId, type GenContext } from './spec';

export interface People {
  contacts: ContactVersion[];
  leads: LeadVersion[];
  contactIds: string[];
  /** Each contact's first email, normalized (what a late chat of that contact would carry). */
  contactEmails: string[];
  /** Every normalized email that links to some contact: chats draw from it to link. */
  linkableEmails: string[];
}

export function generatePeople(ctx: GenContext): People {
  const people: People = { contacts: [], leads: [], contactIds: [], contactEmails: [], linkableEmails: [] };
  for (let i = 0; i < ctx.spec.contacts; i++) addContact(ctx, people, i);
  for (let j = 0; j < ctx.spec.convertedLeads; j++) addConvertedLead(ctx, people, j);
  for (let j = 0; j < ctx.spec.openLeads; j++) addOpenLead(ctx, people, ctx.spec.convertedLeads + j);
  return people;
}

/** Salesforce keeps the address as typed: some carry capitals or stray spaces (rule 2 normalizes). */
function asTyped(ctx: GenContext, email: string): string {
  const r = ctx.rng.next();
  if (r < 0.06) return email.charAt(0).toUpperCase() + email.slice(1);
  if (r < 0.08) return ` ${email} `;
  return email;
}

function addContact(ctx: GenContext, people: People, i: number): void {
  const { rng, range } = ctx;
  const contactId = sfId('003', i);
  // 3% are duplicate contacts sharing another's address: such a chat links to both.
  const shared = i > 0 && rng.chance(0.03);
  const email = shared ? people.contactEmails[rng.int(i)]! : `c${i}@acct${i % 5000}.example`;
  const at = ctx.instant(range.start - 180 * DAY_MS, range.baseEnd - DAY_MS);
  const base = { contactId, deleted: false };
  people.contactIds.push(contactId);
  people.contactEmails.push(email);
  people.linkableEmails.push(email);
  people.contacts.push({ ...base, versionId: `${contactId}:0`, at, seq: ctx.nextSeq(), email: asTyped(ctx, email) });

  const r = rng.next();
  if (r >= 0.31) return;
  const later = ctx.instant(at + 1, range.baseEnd);
  // 15% change address (a new job), 15% change something else, 1% are deleted.
  const changed = r < 0.15 ? `c${i}.new@acct${(i + 7) % 5000}.example` : email;
  if (r < 0.15) people.linkableEmails.push(changed);
  people.contacts.push({
    ...base,
    versionId: `${contactId}:1`,
    at: later,
    seq: ctx.nextSeq(),
    email: asTyped(ctx, changed),
    deleted: r >= 0.3,
  });
}

function addConvertedLead(ctx: GenContext, people: People, j: number): void {
  const { rng, range } = ctx;
  const leadId = sfId('00Q', j);
  const c = rng.int(people.contactIds.length);
  // Half were captured with the contact's own address, half with another one (a personal mailbox).
  const email = rng.chance(0.5) ? people.contactEmails[c]! : `l${j}@mail.example`;
  people.linkableEmails.push(normalizeEmail(email)!);
  const at = ctx.instant(range.start - 180 * DAY_MS, range.baseEnd - 31 * DAY_MS);
  const base = { leadId, deleted: false, email: asTyped(ctx, email) };
  people.leads.push({ ...base, versionId: `${leadId}:0`, at, seq: ctx.nextSeq(), convertedContactId: null });
  people.leads.push({
    ...base,
    versionId: `${leadId}:1`,
    at: at + rng.int(30 * DAY_MS),
    seq: ctx.nextSeq(),
    convertedContactId: people.contactIds[c]!,
  });
}

function addOpenLead(ctx: GenContext, people: People, j: number): void {
  const leadId = sfId('00Q', j);
  const at = ctx.instant(ctx.range.start - 180 * DAY_MS, ctx.range.baseEnd);
  people.leads.push({
    leadId,
    versionId: `${leadId}:0`,
    at,
    seq: ctx.nextSeq(),
    deleted: false,
    email: `l${j}@mail.example`,
    convertedContactId: null,
  });
}
