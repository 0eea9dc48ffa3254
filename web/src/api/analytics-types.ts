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

interface FunnelCounts {
  leads: number;
  mql: number;
  sql: number;
  rejected: number;
  converted: number;
  acceptanceRate: number | null;
}

/** src/reporting/funnel.ts funnelView */
export interface Funnel {
  from: Day;
  to: Day;
  asOf: string;
  teams: string[] | null;
  chatSourced: FunnelFigures;
  all: FunnelFigures;
}
export interface FunnelFigures extends FunnelCounts {
  medianHoursToAccept: number | null;
  acceptedWithTime: number;
  weekly: (FunnelCounts & { from: Day; to: Day })[];
}

interface RateEstimate {
  rate: number | null;
  low: number | null;
  high: number | null;
  won: number;
  closed: number;
}
interface MeanEstimate {
  mean: Money | null;
  low: Money | null;
  high: Money | null;
  n: number;
}

/** src/reporting/conversion.ts conversionView */
export interface Conversion {
  from: Day;
  to: Day;
  asOf: string;
  currency: string;
  teams: string[] | null;
  visitors: number;
  linkedVisitors: number;
  influencedVisitors: number;
  wonVisitors: number;
  conversionRate: number | null;
  averageWonAmount: Money | null;
  valuePerVisitor: Money | null;
  successfulChats: number;
  successfulChatsWon: number;
  valuePerSuccessfulChat: Money | null;
  lift: {
    winRate: {
      influenced: RateEstimate;
      baseline: RateEstimate;
      difference: { value: number; low: number; high: number } | null;
      relative: number | null;
    };
    dealSize: {
      influenced: MeanEstimate;
      baseline: MeanEstimate;
      difference: { value: Money; low: Money; high: Money; df: number } | null;
      relative: number | null;
    };
  };
}

interface CountAndAmount {
  count: number;
  amount: Money;
}
/** src/reporting/outcomes.ts outcomeFigures */
export interface OutcomeFigures {
  openPipeline: CountAndAmount;
  created: CountAndAmount;
  won: CountAndAmount;
  lost: CountAndAmount;
  winRate: number | null;
  averageDealSize: Money | null;
  medianDaysToClose: number | null;
  medianDaysFirstChatToClose: number | null;
}
/** src/reporting/outcomes.ts outcomesView */
export interface Outcomes {
  from: Day;
  to: Day;
  asOf: string;
  currency: string;
  teams: string[] | null;
  influenced: OutcomeFigures;
  baseline: OutcomeFigures;
}

interface Durations {
  n: number;
  median: number | null;
  p90: number | null;
  mean: number | null;
}
export interface ChatFigures {
  chats: number;
  answered: number;
  missed: number;
  missedRate: number | null;
  waitSeconds: Durations;
  firstResponseSeconds: Durations;
  responseSeconds: Durations;
  durationSeconds: Durations;
  messagesPerChat: {
    n: number;
    mean: number | null;
    median: number | null;
    visitorMean: number | null;
    agentMean: number | null;
  };
  csat: { n: number; average: number | null; satisfiedRate: number | null };
  nps: { n: number; promoters: number; passives: number; detractors: number; score: number | null };
  resolution: { n: number; resolved: number; rate: number | null };
}
/** src/reporting/chat-operations.ts chatOperationsView */
export interface ChatOperations {
  from: Day;
  to: Day;
  granularity: 'day' | 'week' | 'month';
  timeZone: string;
  teams: string[] | null;
  totals: ChatFigures & {
    tags: { tag: string; chats: number }[];
    untagged: number;
    channels: { channel: string; chats: number }[];
    csatDistribution: number[];
    heatmap: number[][];
  };
  series: (ChatFigures & { from: Day; to: Day })[];
}
