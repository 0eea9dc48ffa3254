// The shapes of the analytics reports the web app reads, as the API serves them (docs/metrics.md
// defines each figure). Each mirrors the zod schema named beside it; money is a decimal string.
import type { Day, Money } from './types';

export const CREDIT_MODELS = ['linear', 'first', 'last', 'u_shaped', 'time_decay'] as const;
/** src/attribution/credit.ts CREDIT_MODELS */
export type CreditModel = (typeof CREDIT_MODELS)[number];

export const OPPORTUNITY_SORTS = [
  'pipelineInfluenced',
  'closedWonInfluenced',
  'amount',
  'closeDate',
  'firstChatAt',
  'chats',
  'name',
] as const;
export type OpportunitySort = (typeof OPPORTUNITY_SORTS)[number];

interface Named {
  id: string;
  name: string | null;
}

/** src/reporting/influenced-opportunities.ts influencedOpportunity */
export interface InfluencedOpportunity {
  id: string;
  name: string | null;
  account: Named | null;
  owner: Named | null;
  stage: string | null;
  amount: Money | null;
  amountCurrency: string;
  closeDate: Day | null;
  isClosed: boolean;
  isWon: boolean;
  deleted: boolean;
  influenceStartedOn: Day;
  firstChat: {
    conversationId: string;
    startedAt: string;
    teamId: string;
    teamName: string;
    agentId: string | null;
    agentName: string | null;
  };
  chats: number;
  pipelineInfluenced: Money;
  closedWonInfluenced: Money;
  credit: {
    conversationId: string;
    teamId: string;
    agentId: string | null;
    agentName: string | null;
    pipeline: Money;
    closedWon: Money;
  }[];
  salesforceUrl: string | null;
}

/** src/reporting/influenced-opportunities.ts influencedOpportunityPage */
export interface InfluencedOpportunityPage {
  from: Day;
  to: Day;
  currency: string;
  teams: string[] | null;
  model: CreditModel;
  sort: OpportunitySort;
  order: 'asc' | 'desc';
  total: number;
  items: InfluencedOpportunity[];
  nextCursor: string | null;
}
