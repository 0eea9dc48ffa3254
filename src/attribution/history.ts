// The engine's input: one workspace's history as versions over time (ATTRIBUTION.md "Inputs").
// Instants are epoch milliseconds; `seq` orders versions that share an instant (file or arrival order).
import type { Cents } from './money';

export interface Chat {
  id: string;
  at: number;
  teamId: string;
  agentId: string | null;
  emails: string[];
}

interface Version {
  versionId: string;
  at: number;
  seq: number;
  deleted: boolean;
}

export interface ContactVersion extends Version {
  contactId: string;
  email: string | null;
}

export interface LeadVersion extends Version {
  leadId: string;
  email: string | null;
  convertedContactId: string | null;
}

export interface OpportunityVersion extends Version {
  opportunityId: string;
  /** In the workspace's reporting currency; null when Salesforce has no Amount. */
  amount: Cents | null;
  stageName: string | null;
  isClosed: boolean;
  isWon: boolean;
  createdDate: number | null;
}

export interface ContactRoleVersion extends Version {
  contactRoleId: string;
  /** Null only on a delete of a role whose earlier versions were never seen. */
  opportunityId: string | null;
  contactId: string | null;
  createdDate: number | null;
}

export interface History {
  chats: Chat[];
  contacts: ContactVersion[];
  leads: LeadVersion[];
  opportunities: OpportunityVersion[];
  contactRoles: ContactRoleVersion[];
}

export interface AttributionSettings {
  timeZone: string;
  attributionWindowDays: number;
}

export const DEFAULT_SETTINGS: AttributionSettings = { timeZone: 'UTC', attributionWindowDays: 90 };

export function emptyHistory(): History {
  return { chats: [], contacts: [], leads: [], opportunities: [], contactRoles: [] };
}

/** Rule 2: trim white space and lower-case. Empty strings are no email at all. */
export function normalizeEmail(email: string | null | undefined): string | null {
  if (email == null) return null;
  const e = email.trim().toLowerCase();
  return e === '' ? null : e;
}
