// Loads a scenario file into a workspace's history tables, as the Salesforce sync and chat
// ingestion will: versions and conversations written, affected opportunities marked dirty.
import type { Db } from '../db/client';
import type { Workspace } from '../db/schema';
import { formatCents } from '../attribution/money';
import {
  recordContactRoleVersions, recordContactVersions, recordConversations, recordLeadVersions, recordOpportunityVersions,
} from '../history/record';
import { createWorkspace, findWorkspaceBySlug, updateWorkspaceSettings } from '../workspaces/workspaces';
import type { ScenarioFile } from './schema';
import { scenarioHistory } from './to-history';

const SOURCE = 'scenario';

export async function loadScenario(db: Db, slug: string, scenario: ScenarioFile): Promise<Workspace> {
  const settings = { timeZone: scenario.workspace.timezone, attributionWindowDays: scenario.workspace.attributionWindowDays };
  const h = scenarioHistory(scenario);
  const date = (ms: number | null) => (ms === null ? null : new Date(ms));

  return db.transaction(async (tx) => {
    const existing = await findWorkspaceBySlug(tx, slug);
    const workspace = existing
      ? await updateWorkspaceSettings(tx, existing, settings)
      : await createWorkspace(tx, { slug, name: scenario.name ?? slug, ...settings });

    await recordOpportunityVersions(tx, workspace.id, h.opportunities.map((v) => ({
      versionId: v.versionId, occurredAt: new Date(v.at), isDeleted: v.deleted, source: SOURCE,
      opportunityId: v.opportunityId, amount: v.amount === null ? null : formatCents(v.amount),
      stageName: v.stageName, isClosed: v.isClosed, isWon: v.isWon, createdDate: date(v.createdDate),
    })));
    await recordContactVersions(tx, workspace.id, h.contacts.map((v) => ({
      versionId: v.versionId, occurredAt: new Date(v.at), isDeleted: v.deleted, source: SOURCE,
      contactId: v.contactId, email: v.email,
    })));
    await recordLeadVersions(tx, workspace.id, h.leads.map((v) => ({
      versionId: v.versionId, occurredAt: new Date(v.at), isDeleted: v.deleted, source: SOURCE,
      leadId: v.leadId, email: v.email, isConverted: v.convertedContactId !== null,
      convertedContactId: v.convertedContactId,
    })));
    await recordContactRoleVersions(tx, workspace.id, h.contactRoles.map((v) => ({
      versionId: v.versionId, occurredAt: new Date(v.at), isDeleted: v.deleted, source: SOURCE,
      contactRoleId: v.contactRoleId, opportunityId: v.opportunityId, contactId: v.contactId,
      createdDate: date(v.createdDate),
    })));
    await recordConversations(tx, workspace.id, h.chats.map((c) => ({
      id: c.id, teamId: c.teamId, agentId: c.agentId, startedAt: new Date(c.at), emails: c.emails,
    })));
    return workspace;
  });
}
