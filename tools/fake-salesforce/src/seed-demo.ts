// A believable demo org relative to the clock: sales reps who own the accounts and opportunities,
// accounts, contacts, leads moving through the Lead Status picklist (worked, rejected, some
// converted), opportunities moving through stages over ~60 days (some without any chat, the
// baseline the reports compare with), and the seed story of ATTRIBUTION.md (Dana Reyes at Acme:
// $100k three days ago, $120k two days ago, Closed Won at $150k yesterday), plus the chat
// conversations to push to the chat side. The same clock gives the same org.
import { COMPANIES, FIRST_NAMES, LAST_NAMES, OPPORTUNITY_KINDS, ROLES } from './demo-names';
import type { FakeOrg } from './org';
import type { SeededChat } from './seed-scenario';
import { STANDARD_STAGES } from './org-setup';
import { dayOf } from './values';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const TEAMS = ['sales', 'support'];
const AGENTS: Record<string, string[]> = { sales: ['agent-1', 'agent-2', 'agent-3'], support: ['agent-4', 'agent-5'] };
const OPEN_STAGES = STANDARD_STAGES.filter((s) => !s.isClosed).map((s) => s.name);
const REPS = [
  { firstName: 'Rita', lastName: 'Ramos' },
  { firstName: 'Sam', lastName: 'Okafor' },
  { firstName: 'Lena', lastName: 'Fischer' },
  { firstName: 'Tariq', lastName: 'Haddad' },
];

export type DemoSeed = {
  chats: SeededChat[];
  story: { accountId: string; contactId: string; opportunityId: string };
};

type Person = { id: string; email: string; accountId: string };

export function seedDemoOrg(org: FakeOrg, now: number): DemoSeed {
  const rand = mulberry32(20260302);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const today = Math.floor(now / DAY) * DAY;
  const past = (minDays: number, maxDays: number) =>
    Math.min(now - HOUR, today - (minDays + rand() * (maxDays - minDays)) * DAY);
  const at = (ms: number) => ({ at: new Date(Math.round(ms / 1000) * 1000) });
  const chats: SeededChat[] = [];
  const chat = (when: number, emails: string[], contactIds: string[], teamId = pick(TEAMS)) =>
    chats.push({
      id: `demo-conv-${chats.length + 1}`,
      at: new Date(Math.round(when / 1000) * 1000).toISOString(),
      teamId,
      agentId: pick(AGENTS[teamId]!),
      emails,
      contactIds,
    });

  // The sales reps who own the accounts and their opportunities.
  const reps = REPS.map((r) =>
    org.addUser(
      { ...r, email: `${r.firstName.toLowerCase()}.${r.lastName.toLowerCase()}@demo-org.example` },
      at(today - 95 * DAY),
    ),
  );
  const ownerOf = (i: number) => reps[i % reps.length]!;

  // Accounts and three contacts each; Acme's first contact is Dana Reyes, of the seed story.
  const people: Person[] = [];
  const accounts = COMPANIES.map((name, n) => {
    const created = past(70, 90);
    const domain = `${name.split(' ')[0]!.toLowerCase()}.example`;
    const id = org.create('Account', { Name: name, OwnerId: ownerOf(n) }, at(created));
    for (let i = 0; i < 3; i++) {
      const story = name === 'Acme' && i === 0;
      const [first, last] = story ? ['Dana', 'Reyes'] : [pick(FIRST_NAMES), pick(LAST_NAMES)];
      const email = story ? 'dana@acme.example' : `${first.toLowerCase()}.${last.toLowerCase()}${i}@${domain}`;
      const contactId = org.create(
        'Contact',
        { FirstName: first, LastName: last, Email: email, AccountId: id },
        at(created + (i + 1) * HOUR),
      );
      people.push({ id: contactId, email, accountId: id });
    }
    return { id, name, domain };
  });

  // Leads: a quarter converted into a new contact at the lead's company, after a chat.
  for (let i = 0; i < 40; i++) {
    const first = pick(FIRST_NAMES);
    const last = pick(LAST_NAMES);
    const account = pick(accounts.slice(1));
    const email = `${first.toLowerCase()}.${last.toLowerCase()}.lead${i}@${i % 3 === 0 ? account.domain : 'mail.example'}`;
    const created = past(10, 60);
    // Half of the leads come from a chat: the visitor gave an email, the chat product made the lead.
    if (rand() < 0.5) chat(created - HOUR, [email], []);
    const leadId = org.create(
      'Lead',
      { FirstName: first, LastName: last, Email: email, Company: i % 3 === 0 ? account.name : `${last} Consulting` },
      at(created),
    );
    // Sales works most leads within days (accepted), and rejects some of them later.
    const worked = i % 4 === 0 || rand() < 0.6;
    const workedAt = created + (2 + rand() * 60) * HOUR;
    if (worked && workedAt < now - HOUR) org.update('Lead', leadId, { Status: 'Working - Contacted' }, at(workedAt));
    if (worked && i % 4 !== 0 && rand() < 0.3 && workedAt + 2 * DAY < now - HOUR)
      org.update('Lead', leadId, { Status: 'Closed - Not Converted' }, at(workedAt + 2 * DAY));
    if (!worked && rand() < 0.25) org.update('Lead', leadId, { Status: 'Closed - Not Converted' }, at(created + DAY));
    if (i % 4 === 0) {
      const convertedAt = Math.max(created + (1 + rand() * 5) * DAY, workedAt + HOUR);
      const contactId = org.create(
        'Contact',
        { FirstName: first, LastName: last, Email: email, AccountId: account.id },
        at(convertedAt),
      );
      org.convertLead(leadId, { contactId, accountId: account.id, ...at(convertedAt) });
      people.push({ id: contactId, email, accountId: account.id });
    }
  }

  // Opportunities that move through the stages; some close won or lost.
  for (let i = 0; i < 29; i++) {
    const account = accounts[1 + (i % (accounts.length - 1))]!;
    const contacts = people.filter((p) => p.accountId === account.id);
    let t = past(8, 60);
    const amount = Math.round(5 + rand() * 95) * 1000;
    const id = org.create(
      'Opportunity',
      {
        Name: `${account.name} — ${pick(OPPORTUNITY_KINDS)}`,
        AccountId: account.id,
        OwnerId: ownerOf(i + 1),
        Amount: amount,
        StageName: 'Prospecting',
        CloseDate: dayOf(t + 45 * DAY),
      },
      at(t),
    );
    const buyer = contacts[i % contacts.length]!;
    org.create(
      'OpportunityContactRole',
      { OpportunityId: id, ContactId: buyer.id, Role: pick(ROLES), IsPrimary: true },
      at(t + 60_000),
    );
    if (i % 2 === 0) chat(t - (1 + rand() * 10) * DAY, [buyer.email], [buyer.id]);
    const steps = Math.floor(rand() * 4);
    for (let s = 1; s <= steps && t < now - 2 * DAY; s++) {
      t = Math.min(now - HOUR, t + (1 + rand() * 6) * DAY);
      const last = s === steps && rand() < 0.5;
      const stage = last
        ? rand() < 0.6
          ? 'Closed Won'
          : 'Closed Lost'
        : OPEN_STAGES[Math.min(OPEN_STAGES.length - 1, s * 2)]!;
      const fields: Record<string, unknown> = { StageName: stage };
      if (rand() < 0.4) fields.Amount = Math.round((amount * (0.8 + rand() * 0.5)) / 1000) * 1000;
      if (stage.startsWith('Closed')) fields.CloseDate = dayOf(t);
      org.update('Opportunity', id, fields, at(t));
    }
  }

  // The seed story: Dana chats, then joins a new $100k opportunity, raised, then won.
  const acme = accounts[0]!;
  const dana = people[0]!;
  const created = today - 3 * DAY + 16 * HOUR;
  chat(created - HOUR, [dana.email], [dana.id], 'sales');
  const storyId = org.create(
    'Opportunity',
    {
      Name: 'Acme — Platform expansion',
      AccountId: acme.id,
      OwnerId: ownerOf(0),
      Amount: 100000,
      StageName: 'Prospecting',
      CloseDate: dayOf(today + 30 * DAY),
    },
    at(created),
  );
  org.create(
    'OpportunityContactRole',
    { OpportunityId: storyId, ContactId: dana.id, Role: 'Decision Maker', IsPrimary: true },
    at(created + 5000),
  );
  org.update(
    'Opportunity',
    storyId,
    { Amount: 120000, StageName: 'Negotiation/Review' },
    at(today - 2 * DAY + 11 * HOUR),
  );
  org.update(
    'Opportunity',
    storyId,
    { Amount: 150000, StageName: 'Closed Won', CloseDate: dayOf(today - DAY) },
    at(today - DAY + 17.5 * HOUR),
  );

  // A few conversations that match nobody: an unknown visitor and one without an email.
  chat(today - 5 * DAY, ['visitor@unknown.example'], [], 'support');
  chat(today - 4 * DAY, [], [], 'support');
  chats.sort((a, b) => a.at.localeCompare(b.at));
  return { chats, story: { accountId: acme.id, contactId: dana.id, opportunityId: storyId } };
}

/** A small seeded PRNG, so a given clock always produces the same org. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
