// Loads a scenario file (ATTRIBUTION.md) into the org, keeping its instants: each version is a
// write at its `at`, so CreatedDate, SystemModstamp and OpportunityHistory say when things
// happened. Scenario ids map to generated Salesforce ids. Chats are not Salesforce data: they
// come back for the caller to push to the chat side.
import { scenarioFile, type ScenarioEvent } from '../../../src/scenarios/schema';
import { orderedEvents } from '../../../src/scenarios/to-history';
import { addStage } from './org-setup';
import type { Store } from './store';
import { dayOf, type Row } from './values';

export type SeededChat = {
  id: string;
  /** ISO-8601 instant the conversation started. */
  at: string;
  teamId: string;
  agentId: string | null;
  emails: string[];
  /** Salesforce ids of the contacts that had one of these emails when the seed finished. */
  contactIds: string[];
};

export type ScenarioSeed = { chats: SeededChat[]; ids: Map<string, string> };

const TYPES = {
  opportunity: 'Opportunity',
  contactRole: 'OpportunityContactRole',
  contact: 'Contact',
  lead: 'Lead',
} as const;
const DAY = 24 * 60 * 60 * 1000;

export function seedScenario(store: Store, input: unknown): ScenarioSeed {
  const scenario = scenarioFile.parse(input);
  const ids = new Map<string, string>();
  const chats: Array<Omit<SeededChat, 'contactIds'>> = [];
  const sfId = (scenarioId: string, what: string) => {
    const id = ids.get(scenarioId);
    if (!id) throw new Error(`fake-salesforce: scenario ${what} ${scenarioId} is used before its first version`);
    return id;
  };

  for (const e of orderedEvents(scenario.events)) {
    const at = Date.parse(e.at);
    if (e.type === 'chat') {
      const emails = [...(e.email ? [e.email] : []), ...(e.emails ?? [])];
      chats.push({ id: e.id, at: new Date(at).toISOString(), teamId: e.teamId, agentId: e.agentId ?? null, emails });
      continue;
    }
    if (e.type === 'delete') {
      const id = sfId(e.id, e.object);
      // Exactly what the scenario says: no cascade, so the file's history stays the whole truth.
      store.softDelete(TYPES[e.object], id, at, false);
      continue;
    }
    const values = fieldsOf(store, e, sfId);
    const type = TYPES[e.type];
    const existing = ids.get(e.id);
    if (!existing) {
      const createdAt = 'createdDate' in e && e.createdDate ? Date.parse(e.createdDate) : at;
      const row = store.insert(type, { ...firstVersionDefaults(e, at), ...values }, Math.min(createdAt, at));
      ids.set(e.id, row.Id as string);
      if (createdAt < at) store.update(type, row.Id as string, {}, at);
    } else {
      // A version after a delete brings the record back, as an undelete does.
      store.undelete(type, existing, at);
      store.update(type, existing, values, at);
    }
  }
  return { ids, chats: chats.map((c) => ({ ...c, contactIds: contactsWithEmails(store, ids, c.emails) })) };
}

type Versioned = Exclude<ScenarioEvent, { type: 'chat' } | { type: 'delete' }>;

function fieldsOf(store: Store, e: Versioned, sfId: (id: string, what: string) => string): Row {
  switch (e.type) {
    case 'contact':
      return { Email: cleanEmail(e.email) };
    case 'lead':
      return e.convertedContactId
        ? {
            Email: cleanEmail(e.email),
            IsConverted: true,
            Status: 'Closed - Converted',
            ConvertedContactId: sfId(e.convertedContactId, 'contact'),
            ConvertedDate: dayOf(Date.parse(e.at)),
          }
        : { Email: cleanEmail(e.email) };
    case 'opportunity': {
      const stage = addStage(
        store,
        {
          name: e.stageName,
          isClosed: e.isClosed,
          isWon: e.isWon,
          probability: e.isWon ? 100 : e.isClosed ? 0 : 50,
        },
        Date.parse(e.at),
      );
      if (stage.IsClosed !== e.isClosed || stage.IsWon !== e.isWon) {
        throw new Error(
          `fake-salesforce: stage "${e.stageName}" is ${describeStage(stage)} in the org, not as the scenario says`,
        );
      }
      return { Amount: e.amount === null ? null : Number(e.amount), StageName: stage.ApiName as string };
    }
    case 'contactRole':
      return { OpportunityId: sfId(e.opportunityId, 'opportunity'), ContactId: sfId(e.contactId, 'contact') };
  }
}

/** Fields Salesforce requires that a scenario does not carry. */
function firstVersionDefaults(e: Versioned, at: number): Row {
  switch (e.type) {
    case 'contact':
      return { LastName: nameFrom(e.email, e.id) };
    case 'lead':
      return { LastName: nameFrom(e.email, e.id), Company: 'Unknown' };
    case 'opportunity':
      return { Name: `Scenario ${e.id}`, CloseDate: dayOf(e.isClosed ? at : at + 30 * DAY) };
    case 'contactRole':
      return { IsPrimary: false };
  }
}

/** Salesforce keeps no surrounding white space in an email field; the case is kept as written. */
function cleanEmail(email: string | null): string | null {
  const trimmed = email?.trim();
  return trimmed ? trimmed : null;
}

function nameFrom(email: string | null, fallback: string): string {
  const local = email?.trim().split('@')[0];
  return local ? local.charAt(0).toUpperCase() + local.slice(1) : fallback;
}

function describeStage(stage: Row): string {
  return stage.IsWon ? 'closed won' : stage.IsClosed ? 'closed lost' : 'open';
}

function contactsWithEmails(store: Store, ids: Map<string, string>, emails: string[]): string[] {
  const wanted = new Set(emails.map((e) => e.trim().toLowerCase()));
  const seeded = new Set(ids.values());
  return store
    .rows('Contact', true)
    .filter((c) => seeded.has(c.Id as string) && typeof c.Email === 'string' && wanted.has(c.Email.toLowerCase()))
    .map((c) => c.Id as string);
}
