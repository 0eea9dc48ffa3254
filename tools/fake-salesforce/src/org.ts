// The org's data for code that drives the test double directly: the same checked writes the
// REST API makes, at any instant, plus what only Salesforce itself can do (convert a lead,
// empty the recycle bin, add a stage). Values go in and come out in REST JSON form.
import { RestError } from './errors';
import { normalizeId } from './ids';
import { addStage, addUser, type StageSpec } from './org-setup';
import { recordJson } from './record-json';
import { compileSoql, runQuery } from './soql';
import type { Store } from './store';
import { dayOf, parseInstant, type Row } from './values';
import { applyWrite, liveRecord, objectNamed, prepareCreate, prepareDelete, prepareUpdate } from './writes';

export type At = { at?: Date | string };
export type JsonRecord = Record<string, unknown>;

export class FakeOrg {
  constructor(
    private readonly store: Store,
    private readonly now: () => number,
  ) {}

  get id(): string {
    return this.store.orgId;
  }
  get userId(): string {
    return this.store.userId;
  }

  /** Creates a record as POST /sobjects/<type> would, at `at` (default: the clock); its id. */
  create(type: string, fields: JsonRecord, opts: At = {}): string {
    return applyWrite(this.store, prepareCreate(this.store, type, fields), this.instant(opts));
  }

  update(type: string, id: string, fields: JsonRecord, opts: At = {}): void {
    applyWrite(this.store, prepareUpdate(this.store, type, id, fields), this.instant(opts));
  }

  /** A soft delete, cascading to children as Salesforce does (contact roles, history). */
  delete(type: string, id: string, opts: At = {}): void {
    applyWrite(this.store, prepareDelete(this.store, type, id), this.instant(opts));
  }

  /** Empties the record from the recycle bin: gone from queryAll, still in getDeleted for 15 days. */
  hardDelete(type: string, id: string, opts: At = {}): void {
    const def = objectNamed(this.store, type);
    const row = this.store.get(def.name, normalizeId(id) ?? id);
    if (!row) throw new RestError(404, 'NOT_FOUND', `no ${def.name} ${id}`);
    this.store.hardDelete(def.name, row.Id as string, this.instant(opts));
  }

  /** The record in REST JSON form (every field), soft-deleted ones included; undefined when absent. */
  get(type: string, id: string): JsonRecord | undefined {
    const def = objectNamed(this.store, type);
    const row = this.store.get(def.name, normalizeId(id) ?? id);
    return row && recordJson(def, def.fields, row, 'v62.0');
  }

  /** Runs SOQL as query (or queryAll) would, without paging or API usage. */
  query(soql: string, opts: { includeDeleted?: boolean } = {}): JsonRecord[] {
    const q = compileSoql(this.store, soql);
    if (q instanceof RestError) throw q;
    const rows = runQuery(q, this.store.table(q.object.name), opts.includeDeleted ?? false);
    return rows.map((r) => recordJson(q.object, q.fields, r, 'v62.0'));
  }

  /** What Lead conversion leaves on the lead (the Contact, Account, Opportunity must exist). */
  convertLead(leadId: string, into: { contactId: string; accountId?: string; opportunityId?: string } & At): void {
    const lead = liveRecord(this.store, objectNamed(this.store, 'Lead'), leadId);
    const at = this.instant(into);
    const values: Row = {
      IsConverted: true,
      Status: 'Closed - Converted',
      ConvertedDate: dayOf(at),
      ConvertedContactId: this.liveId('Contact', into.contactId),
      ConvertedAccountId: into.accountId ? this.liveId('Account', into.accountId) : null,
      ConvertedOpportunityId: into.opportunityId ? this.liveId('Opportunity', into.opportunityId) : null,
    };
    this.store.update('Lead', lead.Id as string, values, at);
  }

  /** Adds an OpportunityStage (or returns the existing one's id). */
  addStage(spec: StageSpec, opts: At = {}): string {
    return addStage(this.store, spec, this.instant(opts)).Id as string;
  }

  /** Adds a user (as an admin does in Setup; the API's User create needs a licence and profile): its id. */
  addUser(user: { firstName: string; lastName: string; email: string }, opts: At = {}): string {
    return addUser(this.store, user, this.instant(opts)).Id as string;
  }

  private liveId(type: string, id: string): string {
    return liveRecord(this.store, objectNamed(this.store, type), id).Id as string;
  }

  private instant(opts: At): number {
    if (opts.at === undefined) return this.now();
    const ms = opts.at instanceof Date ? opts.at.getTime() : parseInstant(opts.at);
    if (ms === null || Number.isNaN(ms)) throw new Error(`fake-salesforce: not an instant: ${String(opts.at)}`);
    return ms;
  }
}
