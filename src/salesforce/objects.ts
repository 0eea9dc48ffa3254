// The Salesforce objects the sync reads, in the order it reads them, with the fields it asks
// for and how each record becomes a history version. Snapshot versions are keyed
// "<Id>@<SystemModstamp>": the state from that instant on. OpportunityHistory rows are their
// own versions, at their CreatedDate: the instant each amount or stage change happened.
import type {
  NewAccountVersion,
  NewContactRoleVersion,
  NewContactVersion,
  NewLeadVersion,
  NewOpportunityVersion,
  NewUserVersion,
} from '../history/record';
import type { DeletableKind } from '../history/record-deletions';
import { field, sfAmount, sfBoolean, sfDate, sfDateTime, sfString, type FieldType, type SfRecord } from './records';

export type IncrementalObject =
  'Account' | 'User' | 'Contact' | 'Lead' | 'OpportunityHistory' | 'Opportunity' | 'OpportunityContactRole';
export type VersionKind = 'contact' | 'lead' | 'opportunity' | 'contactRole' | 'account' | 'user';

export interface StageFlags {
  isClosed: boolean;
  isWon: boolean;
}

export interface MappingContext {
  stages: Map<string, StageFlags>;
  multiCurrency: boolean;
}

export interface ObjectSpec {
  name: IncrementalObject;
  /** The incremental cursor: SystemModstamp, or CreatedDate for the immutable OpportunityHistory. */
  cursor: 'SystemModstamp' | 'CreatedDate';
  fields(ctx: Pick<MappingContext, 'multiCurrency'>): Record<string, FieldType>;
  kind: VersionKind;
  /**
   * Names only (Account, User): a failure is reported on the object but holds back nothing else,
   * since no number depends on it (a user without read access to Account still gets every figure).
   */
  namesOnly?: boolean;
  /** Null: nothing to record (e.g. a deleted history row). */
  toVersion(record: SfRecord, ctx: MappingContext): Versions | null;
}

export type Versions =
  | { kind: 'opportunity'; row: NewOpportunityVersion }
  | { kind: 'contactRole'; row: NewContactRoleVersion }
  | { kind: 'contact'; row: NewContactVersion }
  | { kind: 'lead'; row: NewLeadVersion }
  | { kind: 'account'; row: NewAccountVersion }
  | { kind: 'user'; row: NewUserVersion };

const common = { Id: 'string', CreatedDate: 'datetime', SystemModstamp: 'datetime', IsDeleted: 'boolean' } as const;
const source = (object: string) => `salesforce:${object}`;
/** A datetime the record cannot be without (its cursor, its version's instant). */
const instant = (r: SfRecord, name: string): Date =>
  field(r, name, (v) => {
    const d = sfDateTime(v);
    if (!d) throw new RangeError('missing');
    return d;
  });
const snapshotId = (r: SfRecord) => `${String(r.Id)}@${instant(r, 'SystemModstamp').toISOString()}`;

const name = (r: SfRecord) => [sfString(r.FirstName), sfString(r.LastName)].filter(Boolean).join(' ') || null;

export const OBJECTS: ObjectSpec[] = [
  {
    // A separate query, not Opportunity's Account.Name relationship field: an account renamed
    // later moves its SystemModstamp, not its opportunities'.
    name: 'Account',
    cursor: 'SystemModstamp',
    kind: 'account',
    namesOnly: true,
    fields: () => ({ ...common, Name: 'string' }),
    toVersion: (r) => ({
      kind: 'account',
      row: {
        versionId: snapshotId(r),
        occurredAt: sfDateTime(r.SystemModstamp)!,
        isDeleted: sfBoolean(r.IsDeleted),
        source: source('Account'),
        accountId: String(r.Id),
        name: sfString(r.Name),
      },
    }),
  },
  {
    // User has no IsDeleted field: users are deactivated (IsActive), never deleted.
    name: 'User',
    cursor: 'SystemModstamp',
    kind: 'user',
    namesOnly: true,
    fields: () => ({
      Id: 'string',
      Name: 'string',
      IsActive: 'boolean',
      CreatedDate: 'datetime',
      SystemModstamp: 'datetime',
    }),
    toVersion: (r) => ({
      kind: 'user',
      row: {
        versionId: snapshotId(r),
        occurredAt: sfDateTime(r.SystemModstamp)!,
        isDeleted: false,
        source: source('User'),
        userId: String(r.Id),
        name: sfString(r.Name),
        isActive: sfBoolean(r.IsActive),
      },
    }),
  },
  {
    name: 'Contact',
    cursor: 'SystemModstamp',
    kind: 'contact',
    fields: () => ({ ...common, FirstName: 'string', LastName: 'string', Email: 'string', AccountId: 'string' }),
    toVersion: (r) => ({
      kind: 'contact',
      row: {
        versionId: snapshotId(r),
        occurredAt: instant(r, 'SystemModstamp'),
        isDeleted: sfBoolean(r.IsDeleted),
        source: source('Contact'),
        contactId: String(r.Id),
        name: name(r),
        accountId: sfString(r.AccountId),
        email: sfString(r.Email),
      },
    }),
  },
  {
    name: 'Lead',
    cursor: 'SystemModstamp',
    kind: 'lead',
    fields: () => ({
      ...common,
      Email: 'string',
      Status: 'string',
      IsConverted: 'boolean',
      ConvertedContactId: 'string',
      ConvertedOpportunityId: 'string',
    }),
    toVersion: (r) => ({
      kind: 'lead',
      row: {
        versionId: snapshotId(r),
        occurredAt: instant(r, 'SystemModstamp'),
        isDeleted: sfBoolean(r.IsDeleted),
        source: source('Lead'),
        leadId: String(r.Id),
        email: sfString(r.Email),
        status: sfString(r.Status),
        createdDate: sfDateTime(r.CreatedDate),
        isConverted: sfBoolean(r.IsConverted),
        convertedContactId: sfString(r.ConvertedContactId),
        convertedOpportunityId: sfString(r.ConvertedOpportunityId),
      },
    }),
  },
  {
    name: 'OpportunityHistory',
    cursor: 'CreatedDate',
    kind: 'opportunity',
    fields: () => ({
      Id: 'string',
      OpportunityId: 'string',
      Amount: 'number',
      StageName: 'string',
      CloseDate: 'date',
      CreatedDate: 'datetime',
      IsDeleted: 'boolean',
    }),
    toVersion: (r, ctx) => {
      if (sfBoolean(r.IsDeleted)) return null; // the opportunity's own deletion is its snapshot's
      const stage = sfString(r.StageName);
      const flags = (stage && ctx.stages.get(stage)) || { isClosed: false, isWon: false };
      return {
        kind: 'opportunity',
        row: {
          versionId: String(r.Id),
          occurredAt: instant(r, 'CreatedDate'),
          isDeleted: false,
          source: source('OpportunityHistory'),
          opportunityId: String(r.OpportunityId),
          amount: field(r, 'Amount', sfAmount),
          stageName: stage,
          isClosed: flags.isClosed,
          isWon: flags.isWon,
          closeDate: field(r, 'CloseDate', sfDate),
        },
      };
    },
  },
  {
    name: 'Opportunity',
    cursor: 'SystemModstamp',
    kind: 'opportunity',
    fields: ({ multiCurrency }) => ({
      ...common,
      Name: 'string',
      AccountId: 'string',
      OwnerId: 'string',
      Amount: 'number',
      StageName: 'string',
      IsClosed: 'boolean',
      IsWon: 'boolean',
      CloseDate: 'date',
      ...(multiCurrency ? { CurrencyIsoCode: 'string' as const } : {}),
    }),
    toVersion: (r, ctx) => ({
      kind: 'opportunity',
      row: {
        versionId: snapshotId(r),
        occurredAt: instant(r, 'SystemModstamp'),
        isDeleted: sfBoolean(r.IsDeleted),
        source: source('Opportunity'),
        opportunityId: String(r.Id),
        name: sfString(r.Name),
        accountId: sfString(r.AccountId),
        ownerId: sfString(r.OwnerId),
        amount: field(r, 'Amount', sfAmount),
        currencyIsoCode: ctx.multiCurrency ? sfString(r.CurrencyIsoCode) : null,
        stageName: sfString(r.StageName),
        isClosed: sfBoolean(r.IsClosed),
        isWon: sfBoolean(r.IsWon),
        closeDate: field(r, 'CloseDate', sfDate),
        createdDate: field(r, 'CreatedDate', sfDateTime),
      },
    }),
  },
  {
    name: 'OpportunityContactRole',
    cursor: 'SystemModstamp',
    kind: 'contactRole',
    fields: () => ({ ...common, OpportunityId: 'string', ContactId: 'string', Role: 'string', IsPrimary: 'boolean' }),
    toVersion: (r) => ({
      kind: 'contactRole',
      row: {
        versionId: snapshotId(r),
        occurredAt: instant(r, 'SystemModstamp'),
        isDeleted: sfBoolean(r.IsDeleted),
        source: source('OpportunityContactRole'),
        contactRoleId: String(r.Id),
        opportunityId: sfString(r.OpportunityId),
        contactId: sfString(r.ContactId),
        role: sfString(r.Role),
        isPrimary: sfBoolean(r.IsPrimary),
        createdDate: field(r, 'CreatedDate', sfDateTime),
      },
    }),
  },
];

/** Objects whose deletions getDeleted reports, and the version kind they map to. */
export const DELETABLE: { name: IncrementalObject; kind: DeletableKind }[] = [
  { name: 'Opportunity', kind: 'opportunity' },
  { name: 'OpportunityContactRole', kind: 'contactRole' },
  { name: 'Contact', kind: 'contact' },
  { name: 'Lead', kind: 'lead' },
];

export function incrementalSoql(spec: ObjectSpec, fields: string[], since: string | null): string {
  const where = since ? ` WHERE ${spec.cursor} >= ${since}` : '';
  return `SELECT ${fields.join(', ')} FROM ${spec.name}${where} ORDER BY ${spec.cursor} ASC, Id ASC`;
}
