// Writes an engine-shaped history (versions with ids, chats) into the history tables: how a
// scenario file, or a generated history in tests, takes the same path synced data takes.
import { formatCents } from '../attribution/money';
import type { History } from '../attribution/history';
import type { Tx } from '../platform/db/client';
import {
  recordContactRoleVersions,
  recordContactVersions,
  recordConversations,
  recordLeadVersions,
  recordOpportunityVersions,
} from './record';

export async function recordHistory(tx: Tx, workspaceId: string, h: History, source: string): Promise<void> {
  const date = (ms: number | null) => (ms === null ? null : new Date(ms));
  const base = (v: { versionId: string; at: number; deleted: boolean }) => ({
    versionId: v.versionId,
    occurredAt: new Date(v.at),
    isDeleted: v.deleted,
    source,
  });
  // Arrival order is file order: versions sharing an instant keep it through `seq`.
  const bySeq = <T extends { seq: number }>(rows: T[]) => [...rows].sort((a, b) => a.seq - b.seq);

  await recordOpportunityVersions(
    tx,
    workspaceId,
    bySeq(h.opportunities).map((v) => ({
      ...base(v),
      opportunityId: v.opportunityId,
      amount: v.amount === null ? null : formatCents(v.amount),
      stageName: v.stageName,
      isClosed: v.isClosed,
      isWon: v.isWon,
      createdDate: date(v.createdDate),
    })),
  );
  await recordContactVersions(
    tx,
    workspaceId,
    bySeq(h.contacts).map((v) => ({ ...base(v), contactId: v.contactId, email: v.email })),
  );
  await recordLeadVersions(
    tx,
    workspaceId,
    bySeq(h.leads).map((v) => ({
      ...base(v),
      leadId: v.leadId,
      email: v.email,
      isConverted: v.convertedContactId !== null,
      convertedContactId: v.convertedContactId,
    })),
  );
  await recordContactRoleVersions(
    tx,
    workspaceId,
    bySeq(h.contactRoles).map((v) => ({
      ...base(v),
      contactRoleId: v.contactRoleId,
      opportunityId: v.opportunityId,
      contactId: v.contactId,
      createdDate: date(v.createdDate),
    })),
  );
  await recordConversations(
    tx,
    workspaceId,
    h.chats.map((c) => ({
      id: c.id,
      teamId: c.teamId,
      agentId: c.agentId,
      startedAt: new Date(c.at),
      emails: c.emails,
    })),
  );
}
