// The story of one opportunity, for an auditor: its Salesforce versions, the roles and contacts
// that linked it to chats, every chat that touched it, when influence started and why, and each
// ledger entry with its causes.
import { and, asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { formatCents, parseCents } from '../../attribution/money';
import type { DbOrTx } from '../../platform/db/client';
import {
  contactRoleVersions,
  contactVersions,
  conversations,
  ledgerEntries,
  opportunityInfluence,
  opportunityTouches,
  opportunityVersions,
} from '../../platform/db/schema';
import { textArray } from '../../platform/db/sql';
import { getWorkspace } from '../../workspaces/workspaces';
import { agentNames } from '../../workspaces/agents';
import { latestNames } from '../../history/names';
import { entryView, ledgerEntryView } from './ledger-entries';
import { money } from '../money-view';
import { AppError } from '../../platform/errors';

const instant = z.iso.datetime();
const versionBase = {
  versionId: z.string(),
  occurredAt: instant,
  recordedAt: instant,
  deleted: z.boolean(),
  source: z.string(),
};

const named = z.object({ id: z.string(), name: z.string().nullable() });

const influenceStart = z
  .object({
    teamId: z.string(),
    teamName: z.string(),
    startedAt: instant,
    startDay: z.iso.date(),
    conversationId: z.string(),
    contactId: z.string(),
    contactRoleId: z.string(),
    versionIds: z.array(z.string()),
  })
  .meta({ id: 'InfluenceStart' });

export const opportunityStory = z
  .object({
    opportunityId: z.string(),
    name: z.string().nullable().meta({ description: 'Its latest Opportunity Name.' }),
    account: named.nullable().meta({ description: 'Its latest account, with the account’s name.' }),
    owner: named.nullable().meta({ description: 'Its latest owner (a Salesforce user), with the user’s name.' }),
    currency: z.string(),
    versions: z.array(
      z.object({
        ...versionBase,
        name: z.string().nullable(),
        accountId: z.string().nullable(),
        ownerId: z.string().nullable(),
        amount: money.nullable(),
        currencyIsoCode: z.string().nullable(),
        stageName: z.string().nullable(),
        isClosed: z.boolean(),
        isWon: z.boolean(),
        closeDate: z.iso.date().nullable(),
        createdDate: instant.nullable(),
      }),
    ),
    contactRoles: z.array(
      z.object({
        ...versionBase,
        contactRoleId: z.string(),
        contactId: z.string().nullable(),
        role: z.string().nullable(),
        isPrimary: z.boolean().nullable(),
        createdDate: instant.nullable(),
      }),
    ),
    contacts: z.array(
      z.object({ ...versionBase, contactId: z.string(), name: z.string().nullable(), email: z.string().nullable() }),
    ),
    touches: z
      .array(
        z.object({
          conversationId: z.string(),
          teamId: z.string(),
          teamName: z.string(),
          agentId: z.string().nullable(),
          agentName: z.string().nullable(),
          startedAt: instant.nullable(),
          emails: z.array(z.string()),
          touchedAt: instant,
          touchDay: z.iso.date(),
          contactId: z.string(),
          contactRoleId: z.string(),
          versionIds: z.array(z.string()),
        }),
      )
      .meta({ description: 'Every chat that touched the opportunity, at its earliest touch.' }),
    influence: z
      .object({
        start: influenceStart,
        why: z.string(),
        byTeam: z.array(influenceStart).meta({ description: "Each team's own start: a team filter counts from it." }),
      })
      .nullable()
      .meta({ description: 'Null while no chat has influenced the opportunity.' }),
    ledger: z.array(ledgerEntryView),
    totals: z
      .object({ pipelineInfluenced: money, closedWonInfluenced: money })
      .meta({ description: 'Sums of the entries: the running totals today.' }),
  })
  .meta({ id: 'OpportunityStory' });
export type OpportunityStory = z.infer<typeof opportunityStory>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const base = (v: { versionId: string; occurredAt: Date; recordedAt: Date; isDeleted: boolean; source: string }) => ({
  versionId: v.versionId,
  occurredAt: v.occurredAt.toISOString(),
  recordedAt: v.recordedAt.toISOString(),
  deleted: v.isDeleted,
  source: v.source,
});

export async function opportunityStoryOf(
  db: DbOrTx,
  workspaceId: string,
  opportunityId: string,
): Promise<OpportunityStory> {
  const workspace = await getWorkspace(db, workspaceId);
  const { versions, entries, roles, touches, contacts, starts } = await storyRows(db, workspaceId, opportunityId);
  const teams = new Map(
    (
      await db.execute<{ id: string; name: string }>(
        sql`select id, name from teams where workspace_id = ${workspaceId}`,
      )
    ).map((t) => [t.id, t.name]),
  );
  const agents = await agentNames(db, workspaceId);
  const latest = <K extends 'name' | 'accountId' | 'ownerId'>(k: K) =>
    versions.findLast((v) => v[k] !== null)?.[k] ?? null;
  const accountId = latest('accountId');
  const ownerId = latest('ownerId');
  const account = accountId
    ? { id: accountId, name: (await latestNames(db, 'account', workspaceId, [accountId])).get(accountId) ?? null }
    : null;
  const owner = ownerId
    ? { id: ownerId, name: (await latestNames(db, 'user', workspaceId, [ownerId])).get(ownerId) ?? null }
    : null;
  const byTeam = starts.map((s) => ({
    teamId: s.teamId,
    teamName: teams.get(s.teamId) ?? s.teamId,
    startedAt: s.startedAt.toISOString(),
    startDay: s.startDay,
    conversationId: s.conversationId,
    contactId: s.contactId,
    contactRoleId: s.contactRoleId,
    versionIds: s.versionIds,
  }));
  const first = byTeam[0];
  const sum = (measure: 'pipeline' | 'closed_won') =>
    formatCents(entries.filter((e) => e.measure === measure).reduce((s, e) => s + parseCents(e.amount), 0n));

  return {
    opportunityId,
    name: latest('name'),
    account,
    owner,
    currency: workspace.reportingCurrency,
    versions: versions.map((v) => ({
      ...base(v),
      name: v.name,
      accountId: v.accountId,
      ownerId: v.ownerId,
      amount: v.amount,
      currencyIsoCode: v.currencyIsoCode,
      stageName: v.stageName,
      isClosed: v.isClosed,
      isWon: v.isWon,
      closeDate: v.closeDate,
      createdDate: iso(v.createdDate),
    })),
    contactRoles: roles.map((r) => ({
      ...base(r),
      contactRoleId: r.contactRoleId,
      contactId: r.contactId,
      role: r.role,
      isPrimary: r.isPrimary,
      createdDate: iso(r.createdDate),
    })),
    contacts: contacts.map((c) => ({ ...base(c), contactId: c.contactId, name: c.name, email: c.email })),
    touches: touches.map(({ touch: t, startedAt, emails }) => ({
      conversationId: t.conversationId,
      teamId: t.teamId,
      teamName: teams.get(t.teamId) ?? t.teamId,
      agentId: t.agentId,
      agentName: t.agentId ? (agents.get(t.agentId) ?? null) : null,
      startedAt: iso(startedAt),
      emails: emails ?? [],
      touchedAt: t.touchedAt.toISOString(),
      touchDay: t.touchDay,
      contactId: t.contactId,
      contactRoleId: t.contactRoleId,
      versionIds: t.versionIds,
    })),
    influence: first
      ? {
          start: first,
          why: explain(first, {
            chatStartedAt: touches.find((t) => t.touch.conversationId === first.conversationId)?.startedAt ?? null,
            contact: contacts.findLast((c) => c.contactId === first.contactId) ?? null,
            role: roles.findLast((r) => r.contactRoleId === first.contactRoleId)?.role ?? null,
            timeZone: workspace.timeZone,
          }),
          byTeam,
        }
      : null,
    ledger: entries.map((e) => entryView(e, new Map(latest('name') ? [[opportunityId, latest('name')!]] : []))),
    totals: { pipelineInfluenced: sum('pipeline'), closedWonInfluenced: sum('closed_won') },
  };
}

/** Everything the story shows, each in time order; not_found when the workspace never saw the opportunity. */
async function storyRows(db: DbOrTx, workspaceId: string, opportunityId: string) {
  const versions = await db
    .select()
    .from(opportunityVersions)
    .where(and(eq(opportunityVersions.workspaceId, workspaceId), eq(opportunityVersions.opportunityId, opportunityId)))
    .orderBy(asc(opportunityVersions.occurredAt), asc(opportunityVersions.seq));
  const entries = await db
    .select()
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.workspaceId, workspaceId), eq(ledgerEntries.opportunityId, opportunityId)))
    .orderBy(asc(ledgerEntries.seq));
  if (versions.length === 0 && entries.length === 0)
    throw new AppError('not_found', `no opportunity "${opportunityId}" in this workspace`);

  const roles = await db
    .select()
    .from(contactRoleVersions)
    .where(and(eq(contactRoleVersions.workspaceId, workspaceId), eq(contactRoleVersions.opportunityId, opportunityId)))
    .orderBy(asc(contactRoleVersions.occurredAt), asc(contactRoleVersions.seq));
  const touches = await db
    .select({ touch: opportunityTouches, startedAt: conversations.startedAt, emails: conversations.emails })
    .from(opportunityTouches)
    .leftJoin(
      conversations,
      and(
        eq(conversations.workspaceId, opportunityTouches.workspaceId),
        eq(conversations.id, opportunityTouches.conversationId),
      ),
    )
    .where(and(eq(opportunityTouches.workspaceId, workspaceId), eq(opportunityTouches.opportunityId, opportunityId)))
    .orderBy(asc(opportunityTouches.touchedAt), asc(opportunityTouches.conversationId));
  const contactIds = [
    ...new Set(
      [...roles.map((r) => r.contactId), ...touches.map((t) => t.touch.contactId)].filter(
        (c): c is string => c !== null,
      ),
    ),
  ];
  const contacts =
    contactIds.length === 0
      ? []
      : await db
          .select()
          .from(contactVersions)
          .where(
            sql`${contactVersions.workspaceId} = ${workspaceId} and ${contactVersions.contactId} = any(${textArray(contactIds)})`,
          )
          .orderBy(asc(contactVersions.contactId), asc(contactVersions.occurredAt), asc(contactVersions.seq));
  const starts = await db
    .select()
    .from(opportunityInfluence)
    .where(
      and(eq(opportunityInfluence.workspaceId, workspaceId), eq(opportunityInfluence.opportunityId, opportunityId)),
    )
    .orderBy(
      asc(opportunityInfluence.startedAt),
      asc(opportunityInfluence.conversationId),
      asc(opportunityInfluence.teamId),
    );
  return { versions, entries, roles, touches, contacts, starts };
}

/** The influence start in words a finance reader can follow; ids stay in `start` for the audit. */
function explain(
  start: z.infer<typeof influenceStart>,
  context: {
    chatStartedAt: Date | null;
    contact: { name: string | null; email: string | null } | null;
    role: string | null;
    timeZone: string;
  },
): string {
  const when = (d: Date) =>
    new Intl.DateTimeFormat('en-US', { timeZone: context.timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(d);
  // A calendar day in the same words as the instants, not in ISO: one date format in the sentence.
  const day = (d: string) =>
    new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', dateStyle: 'medium' }).format(new Date(`${d}T00:00:00Z`));
  const who = context.contact?.name
    ? `${context.contact.name}${context.contact.email ? ` <${context.contact.email}>` : ''}`
    : (context.contact?.email ?? `contact ${start.contactId}`);
  const chat = context.chatStartedAt ? ` on ${when(context.chatStartedAt)}` : '';
  return (
    `Chat ${start.conversationId} (team ${start.teamName})${chat} shares an email with ${who}, ` +
    `who is on this opportunity as a contact role${context.role ? ` (${context.role})` : ''}. ` +
    `Influence starts at the latest of the chat, the role's creation and the opportunity's creation: ` +
    `${when(new Date(start.startedAt))} (${context.timeZone}), so on ${day(start.startDay)}.`
  );
}
