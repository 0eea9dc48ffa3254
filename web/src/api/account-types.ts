// The shapes of the accounts report as the API serves them; each mirrors the zod schema named
// beside it. Money is a decimal string; instants are ISO strings, days YYYY-MM-DD in the workspace zone.
import type { Day, Money } from './types';

/** src/reporting/accounts.ts ACCOUNT_SORTS */
export const ACCOUNT_SORTS = [
  'lastChatAt',
  'chats',
  'contacts',
  'opportunities',
  'openInfluencedPipeline',
  'closedWonInfluenced',
  'name',
] as const;
export type AccountSort = (typeof ACCOUNT_SORTS)[number];

interface Named {
  id: string;
  name: string | null;
}

/** src/reporting/accounts.ts accountSummary */
export interface AccountSummary {
  id: string;
  name: string | null;
  targetAccount: boolean;
  chats: number;
  chattedContacts: number;
  contacts: number;
  opportunities: number;
  openInfluencedPipeline: Money;
  closedWonInfluenced: Money;
  lastChatAt: string;
  salesforceUrl: string | null;
}

/** src/reporting/accounts.ts accountPage */
export interface AccountPage {
  from: Day;
  to: Day;
  currency: string;
  teams: string[] | null;
  sort: AccountSort;
  order: 'asc' | 'desc';
  total: number;
  items: AccountSummary[];
  nextCursor: string | null;
}

interface When {
  at: string;
  day: Day;
}
interface OfOpportunity extends When {
  opportunity: Named;
  currency: string;
}

/** src/reporting/account-timeline.ts accountTimelineEvent */
export type AccountTimelineEvent =
  | (When & {
      kind: 'chat';
      conversationId: string;
      team: Named;
      agent: Named | null;
      contacts: Named[];
      targetAccount: boolean;
    })
  | (When & { kind: 'contact_added'; contact: Named; email: string | null })
  | (When & { kind: 'contact_linked'; contact: Named; conversationId: string })
  | (OfOpportunity & { kind: 'opportunity_created'; amount: Money | null; stage: string | null })
  | (OfOpportunity & { kind: 'amount_changed'; from: Money | null; to: Money | null })
  | (OfOpportunity & { kind: 'stage_changed'; from: string | null; to: string | null })
  | (OfOpportunity & { kind: 'opportunity_closed'; won: boolean; amount: Money | null })
  | (OfOpportunity & { kind: 'opportunity_reopened'; stage: string | null })
  | (OfOpportunity & { kind: 'opportunity_deleted' })
  | (OfOpportunity & { kind: 'opportunity_restored' });

/** src/reporting/account-timeline.ts accountTimeline */
export interface AccountTimeline {
  account: Named & { salesforceUrl: string | null };
  timeZone: string;
  teams: string[] | null;
  targetAccount: boolean;
  chats: number;
  contacts: number;
  opportunities: number;
  timeline: AccountTimelineEvent[];
}
