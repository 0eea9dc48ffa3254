// One-line factories for history rows as the Salesforce sync writes them (names, accounts, owners,
// lead statuses included), for report tests that need more than a scenario file carries.
import type { Db } from '../../src/platform/db/client';
import {
  recordAccountVersions,
  recordContactRoleVersions,
  recordContactVersions,
  recordLeadVersions,
  recordOpportunityVersions,
  recordUserVersions,
  type NewLeadVersion,
  type NewOpportunityVersion,
} from '../../src/history/record';

const at = (iso: string) => new Date(iso);
const base = (id: string, iso: string) => ({
  versionId: `${id}@${iso}`,
  occurredAt: at(iso),
  isDeleted: false,
  source: 'test',
});

type Stage = 'open' | 'won' | 'lost';
const STAGES: Record<Stage, { stageName: string; isClosed: boolean; isWon: boolean }> = {
  open: { stageName: 'Prospecting', isClosed: false, isWon: false },
  won: { stageName: 'Closed Won', isClosed: true, isWon: true },
  lost: { stageName: 'Closed Lost', isClosed: true, isWon: false },
};

export function opportunityRow(
  id: string,
  iso: string,
  fields: {
    amount: string | null;
    stage?: Stage;
    created?: string;
    name?: string;
    accountId?: string;
    ownerId?: string;
    closeDate?: string;
    currency?: string;
    deleted?: boolean;
  },
): NewOpportunityVersion {
  return {
    ...base(id, iso),
    isDeleted: fields.deleted ?? false,
    opportunityId: id,
    name: fields.name ?? null,
    accountId: fields.accountId ?? null,
    ownerId: fields.ownerId ?? null,
    amount: fields.amount,
    currencyIsoCode: fields.currency ?? null,
    ...STAGES[fields.stage ?? 'open'],
    closeDate: fields.closeDate ?? null,
    createdDate: at(fields.created ?? iso),
  };
}

export function leadRow(
  id: string,
  iso: string,
  fields: { email: string | null; status: string | null; created: string; convertedContactId?: string },
): NewLeadVersion {
  return {
    ...base(id, iso),
    leadId: id,
    email: fields.email,
    status: fields.status,
    createdDate: at(fields.created),
    isConverted: fields.convertedContactId !== undefined,
    convertedContactId: fields.convertedContactId ?? null,
  };
}

export interface SalesforceRows {
  contacts?: [id: string, iso: string, email: string, accountId?: string, name?: string][];
  roles?: [id: string, iso: string, opportunityId: string, contactId: string][];
  opportunities?: NewOpportunityVersion[];
  leads?: NewLeadVersion[];
  accounts?: [id: string, name: string][];
  users?: [id: string, name: string][];
}

/** Writes the rows as one sync page would (dirty marks included). */
export async function writeSalesforceRows(db: Db, workspaceId: string, rows: SalesforceRows): Promise<void> {
  const first = '2026-01-01T00:00:00Z';
  await db.transaction(async (tx) => {
    await recordAccountVersions(
      tx,
      workspaceId,
      (rows.accounts ?? []).map(([id, name]) => ({ ...base(id, first), accountId: id, name })),
    );
    await recordUserVersions(
      tx,
      workspaceId,
      (rows.users ?? []).map(([id, name]) => ({ ...base(id, first), userId: id, name, isActive: true })),
    );
    await recordContactVersions(
      tx,
      workspaceId,
      (rows.contacts ?? []).map(([id, iso, email, accountId, name]) => ({
        ...base(id, iso),
        contactId: id,
        email,
        accountId: accountId ?? null,
        name: name ?? null,
      })),
    );
    await recordLeadVersions(tx, workspaceId, rows.leads ?? []);
    await recordOpportunityVersions(tx, workspaceId, rows.opportunities ?? []);
    await recordContactRoleVersions(
      tx,
      workspaceId,
      (rows.roles ?? []).map(([id, iso, opportunityId, contactId]) => ({
        ...base(id, iso),
        contactRoleId: id,
        opportunityId,
        contactId,
        createdDate: at(iso),
      })),
    );
  });
}
