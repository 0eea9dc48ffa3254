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

const EDGE_WHITE_SPACE = /^[\t\n\v\f\r ]+|[\t\n\v\f\r ]+$/g;

/**
 * Rule 2: trim white space and lower-case; empty strings are no email at all. ASCII only, the one
 * normaliser of every email the service compares: Unicode case folding would link look-alikes
 * ("\u212Aate@x" with the Kelvin sign is not "kate@x"). Mirrored in SQL by email_normalized()
 * (migration 0010) for the queries that normalise in the database.
 */
export function normalizeEmail(email: string | null | undefined): string | null {
  if (email == null) return null;
  const e = email.replace(EDGE_WHITE_SPACE, '').replace(/[A-Z]+/g, (upper) => upper.toLowerCase());
  return e === '' ? null : e;
}
