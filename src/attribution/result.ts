// The engine's output: per opportunity, when influence started and the daily deltas with causes.
import type { Cents } from './money';
import type { Day } from './calendar';

export type Measure = 'pipeline' | 'closed_won';

export type DeltaReason = 'influence_started' | 'amount_changed' | 'won' | 'reopened' | 'lost' | 'deleted' | 'restored';

/** A chat reaching an opportunity through a contact role (rule 3). */
export interface Touch {
  at: number;
  day: Day;
  conversationId: string;
  teamId: string;
  agentId: string | null;
  contactId: string;
  contactRoleId: string;
  /** The contact-role version, and the contact or lead versions whose email linked the chat. */
  versionIds: string[];
}

export interface MeasureDelta {
  delta: Cents;
  total: Cents;
  reason: DeltaReason;
}

export interface DailyDelta {
  day: Day;
  pipeline: MeasureDelta | null;
  closedWon: MeasureDelta | null;
  causes: { versions: string[]; conversations: string[] };
}

export interface OpportunityAttribution {
  opportunityId: string;
  /** The earliest touch among the selected teams' chats; null when not influenced. */
  start: Touch | null;
  /** The earliest touch of each team, whatever the filter: the ledger derives any team set from these. */
  teamStarts: Touch[];
  /** Every conversation that touched the opportunity, at its earliest touch, in time order. */
  touches: Touch[];
  days: DailyDelta[];
}

export interface DailyTotal {
  date: Day;
  pipelineInfluenced: Cents;
  closedWonInfluenced: Cents;
}
