// Builds engine histories in a few readable lines for the example tests: ISO instants, amounts as
// decimal strings, version ids "<record>@<instant>" as in the scenario files, `seq` in call order.
// A delete carries the record's last known state, as the sync records it.
import {
  emptyHistory,
  type ContactRoleVersion,
  type ContactVersion,
  type History,
  type LeadVersion,
  type OpportunityVersion,
} from '../../src/attribution/history';
import { parseCents } from '../../src/attribution/money';

export type Stage = 'open' | 'won' | 'lost';

export interface OpportunityState {
  amount: string | null;
  stage?: Stage;
  createdDate?: string;
}

export class HistoryBuilder {
  readonly history: History = emptyHistory();
  private seq = 0;

  contact(id: string, at: string, email: string | null): this {
    this.history.contacts.push({ ...this.base(id, at), contactId: id, email });
    return this;
  }

  lead(id: string, at: string, email: string | null, convertedContactId: string | null = null): this {
    this.history.leads.push({ ...this.base(id, at), leadId: id, email, convertedContactId });
    return this;
  }

  opportunity(id: string, at: string, state: OpportunityState): this {
    const stage = state.stage ?? 'open';
    this.history.opportunities.push({
      ...this.base(id, at),
      opportunityId: id,
      amount: state.amount === null ? null : parseCents(state.amount),
      stageName: { open: 'Prospecting', won: 'Closed Won', lost: 'Closed Lost' }[stage],
      isClosed: stage !== 'open',
      isWon: stage === 'won',
      createdDate: state.createdDate ? Date.parse(state.createdDate) : null,
    });
    return this;
  }

  role(id: string, at: string, opportunityId: string, contactId: string, createdDate?: string): this {
    this.history.contactRoles.push({
      ...this.base(id, at),
      contactRoleId: id,
      opportunityId,
      contactId,
      createdDate: createdDate ? Date.parse(createdDate) : null,
    });
    return this;
  }

  chat(id: string, at: string, emails: string[], teamId = 'sales'): this {
    this.history.chats.push({ id, at: Date.parse(at), teamId, agentId: 'agent-1', emails });
    return this;
  }

  delete(object: 'opportunity' | 'contactRole' | 'contact' | 'lead', id: string, at: string): this {
    const base = { ...this.base(id, at), deleted: true };
    const last = <T extends { at: number; seq: number }>(versions: T[]) => versions.at(-1);
    if (object === 'opportunity') {
      const prev = last(this.history.opportunities.filter((v) => v.opportunityId === id));
      this.history.opportunities.push({ ...(prev ?? emptyOpportunity(id)), ...base } satisfies OpportunityVersion);
    } else if (object === 'contactRole') {
      const prev = last(this.history.contactRoles.filter((v) => v.contactRoleId === id));
      const fallback = { contactRoleId: id, opportunityId: null, contactId: null, createdDate: null };
      this.history.contactRoles.push({ ...(prev ?? fallback), ...base } satisfies ContactRoleVersion);
    } else if (object === 'contact') {
      const prev = last(this.history.contacts.filter((v) => v.contactId === id));
      this.history.contacts.push({ ...(prev ?? { contactId: id, email: null }), ...base } satisfies ContactVersion);
    } else {
      const prev = last(this.history.leads.filter((v) => v.leadId === id));
      this.history.leads.push({
        ...(prev ?? { leadId: id, email: null, convertedContactId: null }),
        ...base,
      } satisfies LeadVersion);
    }
    return this;
  }

  private base(id: string, at: string) {
    return { versionId: `${id}@${at}`, at: Date.parse(at), seq: this.seq++, deleted: false };
  }
}

function emptyOpportunity(id: string): Omit<OpportunityVersion, 'versionId' | 'at' | 'seq' | 'deleted'> {
  return { opportunityId: id, amount: null, stageName: null, isClosed: false, isWon: false, createdDate: null };
}
