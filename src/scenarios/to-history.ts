// Turns a scenario's events into the engine's history: events ordered by instant (ties keep
// file order), deletes becoming versions that carry the record's last known state.
import { centsFromNumber, parseCents, type Cents } from '../attribution/money';
import { emptyHistory, type History } from '../attribution/history';
import type { ScenarioEvent, ScenarioFile } from './schema';

export function scenarioHistory(scenario: ScenarioFile): History {
  const history = emptyHistory();
  const last = {
    opportunity: new Map<string, History['opportunities'][number]>(),
    contactRole: new Map<string, History['contactRoles'][number]>(),
    contact: new Map<string, History['contacts'][number]>(),
    lead: new Map<string, History['leads'][number]>(),
  };
  const ids = new VersionIds();

  orderedEvents(scenario.events).forEach((e, seq) => {
    const at = Date.parse(e.at);
    const base = { at, seq, deleted: false };
    switch (e.type) {
      case 'chat':
        history.chats.push({
          id: e.id,
          at,
          teamId: e.teamId,
          agentId: e.agentId ?? null,
          emails: [...(e.email ? [e.email] : []), ...(e.emails ?? [])],
        });
        return;
      case 'contact': {
        const v = { ...base, versionId: ids.next(e.id, e.at), contactId: e.id, email: e.email };
        last.contact.set(e.id, v);
        history.contacts.push(v);
        return;
      }
      case 'lead': {
        const v = {
          ...base,
          versionId: ids.next(e.id, e.at),
          leadId: e.id,
          email: e.email,
          convertedContactId: e.convertedContactId ?? null,
        };
        last.lead.set(e.id, v);
        history.leads.push(v);
        return;
      }
      case 'opportunity': {
        const v = {
          ...base,
          versionId: ids.next(e.id, e.at),
          opportunityId: e.id,
          amount: amountCents(e.amount),
          stageName: e.stageName,
          isClosed: e.isClosed,
          isWon: e.isWon,
          createdDate: e.createdDate ? Date.parse(e.createdDate) : null,
        };
        last.opportunity.set(e.id, v);
        history.opportunities.push(v);
        return;
      }
      case 'contactRole': {
        const v = {
          ...base,
          versionId: ids.next(e.id, e.at),
          contactRoleId: e.id,
          opportunityId: e.opportunityId,
          contactId: e.contactId,
          createdDate: e.createdDate ? Date.parse(e.createdDate) : null,
        };
        last.contactRole.set(e.id, v);
        history.contactRoles.push(v);
        return;
      }
      case 'delete':
        pushDelete(history, last, e, { ...base, deleted: true, versionId: ids.next(e.id, e.at) });
        return;
    }
  });
  return history;
}

export function orderedEvents(events: ScenarioEvent[]): ScenarioEvent[] {
  return events
    .map((e, i) => ({ e, i, at: Date.parse(e.at) }))
    .sort((a, b) => a.at - b.at || a.i - b.i)
    .map(({ e }) => e);
}

function amountCents(amount: number | string | null): Cents | null {
  if (amount === null) return null;
  return typeof amount === 'number' ? centsFromNumber(amount) : parseCents(amount);
}

type Last = {
  opportunity: Map<string, History['opportunities'][number]>;
  contactRole: Map<string, History['contactRoles'][number]>;
  contact: Map<string, History['contacts'][number]>;
  lead: Map<string, History['leads'][number]>;
};
type DeleteBase = { at: number; seq: number; deleted: true; versionId: string };

function pushDelete(
  history: History,
  last: Last,
  e: Extract<ScenarioEvent, { type: 'delete' }>,
  base: DeleteBase,
): void {
  switch (e.object) {
    case 'opportunity': {
      const prev = last.opportunity.get(e.id);
      const v = {
        amount: null,
        stageName: null,
        isClosed: false,
        isWon: false,
        createdDate: null,
        ...prev,
        ...base,
        opportunityId: e.id,
      };
      last.opportunity.set(e.id, v);
      history.opportunities.push(v);
      return;
    }
    case 'contactRole': {
      const prev = last.contactRole.get(e.id);
      const v = { opportunityId: null, contactId: null, createdDate: null, ...prev, ...base, contactRoleId: e.id };
      last.contactRole.set(e.id, v);
      history.contactRoles.push(v);
      return;
    }
    case 'contact': {
      const v = { email: null, ...last.contact.get(e.id), ...base, contactId: e.id };
      last.contact.set(e.id, v);
      history.contacts.push(v);
      return;
    }
    case 'lead': {
      const v = { email: null, convertedContactId: null, ...last.lead.get(e.id), ...base, leadId: e.id };
      last.lead.set(e.id, v);
      history.leads.push(v);
      return;
    }
  }
}

/** Version ids a finance reader can follow: "<record id>@<instant>", suffixed when repeated. */
class VersionIds {
  private readonly seen = new Map<string, number>();
  next(recordId: string, at: string): string {
    const base = `${recordId}@${at}`;
    const n = (this.seen.get(base) ?? 0) + 1;
    this.seen.set(base, n);
    return n === 1 ? base : `${base}#${n}`;
  }
}
