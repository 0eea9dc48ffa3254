// The benchmark workspace's size and time range, and what every generator shares.
import type { AttributionSettings } from '../../src/attribution/history';
import { Random } from './prng';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export const SETTINGS: AttributionSettings = { timeZone: 'America/New_York', attributionWindowDays: 90 };

export interface WorkspaceSpec {
  seed: number;
  opportunities: number;
  opportunityVersions: number;
  contactRoles: number;
  contacts: number;
  convertedLeads: number;
  /** Leads never converted: their emails link nothing, but chats still carry them. */
  openLeads: number;
  chats: number;
  agents: number;
}

/** The workspace: 100k opportunities, 1M opportunity versions, 200k chats. */
export const FULL_SPEC: WorkspaceSpec = {
  seed: 20_260_301,
  opportunities: 100_000,
  opportunityVersions: 1_000_000,
  contactRoles: 300_000,
  contacts: 150_000,
  convertedLeads: 20_000,
  openLeads: 10_000,
  chats: 200_000,
  agents: 200,
};

/** A smaller workspace of the same shape, for a quick check of the script itself. */
export function scaledSpec(scale: number, seed: number): WorkspaceSpec {
  const n = (x: number) => Math.max(2, Math.round(x * scale));
  const s = FULL_SPEC;
  return {
    seed,
    opportunities: n(s.opportunities),
    opportunityVersions: n(s.opportunityVersions),
    contactRoles: n(s.contactRoles),
    contacts: n(s.contacts),
    convertedLeads: n(s.convertedLeads),
    openLeads: n(s.openLeads),
    chats: n(s.chats),
    agents: s.agents,
  };
}

export const TEAMS = ['sales', 'support', 'enterprise', 'smb', 'emea', 'apac', 'partners', 'onboarding'] as const;

/**
 * Twelve months starting at midnight in New York. Generated history stops a day before `end`,
 * so the incremental updates own the workspace's last day.
 */
export interface TimeRange {
  start: number;
  /** The last instant of generated history (exclusive). */
  baseEnd: number;
  end: number;
}

export const RANGE: TimeRange = {
  start: Date.parse('2025-01-01T05:00:00Z'),
  baseEnd: Date.parse('2025-12-31T05:00:00Z'),
  end: Date.parse('2026-01-01T05:00:00Z'),
};

export class GenContext {
  readonly rng: Random;
  private seq = 0;

  constructor(
    readonly spec: WorkspaceSpec,
    readonly range: TimeRange = RANGE,
  ) {
    this.rng = new Random(spec.seed);
  }

  /** Arrival order, global across objects, as the history tables' identity column. */
  nextSeq(): number {
    return this.seq++;
  }

  /** An instant in [from, to). */
  instant(from: number, to: number): number {
    return from + this.rng.int(Math.max(1, to - from));
  }
}

/** An 18-character Salesforce-like id: key prefix, then the number in base 36. */
export function sfId(prefix: string, n: number): string {
  return prefix + n.toString(36).toUpperCase().padStart(15, '0');
}
