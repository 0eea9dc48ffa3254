// Builds the whole synthetic workspace, deterministically from the spec's seed.
import type { History } from '../../src/attribution/history';
import { generateChats } from './gen-chats';
import { generateOpportunities, type Opportunities } from './gen-opportunities';
import { generatePeople, type People } from './gen-people';
import { generateRoles, type Roles } from './gen-roles';
import { GenContext, type WorkspaceSpec } from './spec';

export interface Workspace {
  history: History;
  /** Continues the generation (same PRNG, same seq counter) for the incremental updates. */
  ctx: GenContext;
  people: People;
  opps: Opportunities;
  roles: Roles;
}

export function generateWorkspace(spec: WorkspaceSpec): Workspace {
  const ctx = new GenContext(spec);
  const people = generatePeople(ctx);
  const opps = generateOpportunities(ctx);
  const roles = generateRoles(ctx, opps, people.contactIds);
  const chats = generateChats(ctx, people.linkableEmails);
  const history: History = {
    chats,
    contacts: people.contacts,
    leads: people.leads,
    opportunities: opps.versions,
    contactRoles: roles.versions,
  };
  return { history, ctx, people, opps, roles };
}

export interface HistoryCounts {
  opportunityVersions: number;
  contactRoleVersions: number;
  contactVersions: number;
  leadVersions: number;
  chats: number;
  /** Versions of every object plus chats: the "events" of events per second. */
  events: number;
}

export function countHistory(h: History): HistoryCounts {
  const versions = h.opportunities.length + h.contactRoles.length + h.contacts.length + h.leads.length;
  return {
    opportunityVersions: h.opportunities.length,
    contactRoleVersions: h.contactRoles.length,
    contactVersions: h.contacts.length,
    leadVersions: h.leads.length,
    chats: h.chats.length,
    events: versions + h.chats.length,
  };
}

/** The share of chats carrying an email some contact or converted lead has had (rule 2). */
export function linkedChatShare(ws: Workspace): number {
  const linkable = new Set(ws.people.linkableEmails);
  const linked = ws.history.chats.filter((c) => c.emails.some((e) => linkable.has(e))).length;
  return linked / Math.max(1, ws.history.chats.length);
}
