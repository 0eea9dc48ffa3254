// The shapes the web app reads, as the API serves them. They mirror the zod schemas named beside
// each one (src/chat/*, src/salesforce/status.ts, src/api/session/me.ts); money is always a
// decimal string with two places, never a number.
export type Money = string;
export type Day = string;

/** src/api/session/me.ts */
export interface Me {
  user: { id: string; email: string; name: string; isDemo: boolean; passwordChangeRequired: boolean };
  workspace: {
    id: string;
    slug: string;
    name: string;
    timeZone: string;
    reportingCurrency: string;
    attributionWindowDays: number;
    isDemo: boolean;
  };
}

export interface AuthOptions {
  demo: boolean;
  salesforce: boolean;
}

export interface Metrics {
  totalChats: number;
  qualifiedChats: number;
  leadVolume: number;
  targetAccounts: number;
  meetingsBooked: number;
  pipelineInfluenced: Money;
  closedWonInfluenced: Money;
}

export type Granularity = 'day' | 'week' | 'month';

/** src/chat/dashboard.ts dashboardView */
export interface Dashboard {
  from: Day;
  to: Day;
  granularity: Granularity;
  timeZone: string;
  currency: string;
  teams: string[] | null;
  totals: Metrics;
  series: (Metrics & { from: Day; to: Day })[];
}

/** src/chat/teams.ts teamView */
export interface Team {
  id: string;
  name: string;
  createdAt: string;
  /** False once the team has conversations: rename only. */
  removable: boolean;
}

/** src/chat/ledger-entries.ts ledgerEntryView */
export type Measure = 'pipeline' | 'closed_won';

export interface LedgerEntry {
  seq: number;
  opportunityId: string;
  opportunityName: string | null;
  measure: Measure;
  effectiveDay: Day;
  /** With a team filter, the day the entry counts on for those teams (its effective day or later). */
  countedDay: Day;
  amount: Money;
  currency: string;
  reason: string;
  correction: boolean;
  causes: { versions: string[]; conversations: string[] };
  recordedAt: string;
  engineVersion: string;
  hash: string;
}

export interface LedgerPage {
  entries: LedgerEntry[];
  /** Over every entry the filters select, all pages. */
  totals: { entries: number; pipeline: Money; closedWon: Money };
  nextCursor: string | null;
}

interface VersionBase {
  versionId: string;
  occurredAt: string;
  recordedAt: string;
  deleted: boolean;
  source: string;
}

export interface InfluenceStart {
  teamId: string;
  teamName: string;
  startedAt: string;
  startDay: Day;
  conversationId: string;
  contactId: string;
  contactRoleId: string;
  versionIds: string[];
}

/** src/chat/opportunity-story.ts opportunityStory */
export interface OpportunityStory {
  opportunityId: string;
  currency: string;
  versions: (VersionBase & {
    name: string | null;
    amount: Money | null;
    currencyIsoCode: string | null;
    stageName: string | null;
    isClosed: boolean;
    isWon: boolean;
    closeDate: Day | null;
    createdDate: string | null;
  })[];
  contactRoles: (VersionBase & {
    contactRoleId: string;
    contactId: string | null;
    role: string | null;
    isPrimary: boolean | null;
    createdDate: string | null;
  })[];
  contacts: (VersionBase & { contactId: string; name: string | null; email: string | null })[];
  touches: {
    conversationId: string;
    teamId: string;
    teamName: string;
    agentId: string | null;
    agentName: string | null;
    startedAt: string | null;
    emails: string[];
    touchedAt: string;
    touchDay: Day;
    contactId: string;
    contactRoleId: string;
    versionIds: string[];
  }[];
  influence: { start: InfluenceStart; why: string; byTeam: InfluenceStart[] } | null;
  ledger: LedgerEntry[];
  totals: { pipelineInfluenced: Money; closedWonInfluenced: Money };
}

interface LeaderStats {
  conversations: number;
  qualifiedChats: number;
  meetingsBooked: number;
  pipelineInfluenced: Money;
  closedWonInfluenced: Money;
}

/** src/chat/leaderboard.ts leaderboardView */
export interface Leaderboard {
  from: Day;
  to: Day;
  currency: string;
  teams: string[] | null;
  byAgent: (LeaderStats & { agentId: string })[];
  byTeam: (LeaderStats & { teamId: string; name: string })[];
}

/** src/salesforce/status.ts connectionStatus */
export type SalesforceStatus =
  | { connected: false; status: 'not_connected' }
  | {
      connected: boolean;
      status: 'connected' | 'needs_reauth' | 'disconnected';
      org: {
        id: string;
        instanceUrl: string;
        loginUrl: string;
        userId: string;
        username: string | null;
        userDisplayName: string | null;
      };
      connectedAt: string | null;
      syncIntervalMinutes: number;
      multiCurrency: boolean;
      apiUsage: { used: number; max: number; percent: number; seenAt: string | null } | null;
      lastError: { message: string; at: string | null } | null;
      running: boolean;
      objects: {
        object: string;
        checkpoint: string | null;
        lastRun: {
          startedAt: string | null;
          finishedAt: string | null;
          outcome: string | null;
          rows: number | null;
          error: string | null;
          /** Not an error: a Bulk fallback, NUL removed, field history tracking off. */
          note: string | null;
          nulStripped: number;
        };
        progress: { rows: number; estimatedTotal: number | null };
        bulkJobInProgress: boolean;
      }[];
      quarantine: {
        total: number;
        records: {
          object: string;
          recordId: string;
          reason: string;
          errorCode: string | null;
          firstSeenAt: string | null;
          lastAttemptAt: string | null;
          attempts: number;
        }[];
      };
      runs: {
        id: string;
        trigger: string;
        startedAt: string | null;
        finishedAt: string | null;
        outcome: string | null;
        rows: Record<string, number>;
        error: string | null;
      }[];
    };

/** src/salesforce/connection-check.ts checkReportView */
export interface SalesforceCheck {
  checkedAt: string;
  ok: boolean;
  items: { id: string; title: string; status: 'ok' | 'warning' | 'failed'; detail: string }[];
  estimate: {
    objects: { object: string; rows: number; via: 'rest' | 'bulk'; apiCalls: number; minutes: number }[];
    apiCalls: number;
    minutes: number;
  } | null;
}

/** src/chat/workspace-settings.ts workspaceView */
export interface WorkspaceSettings {
  id: string;
  slug: string;
  name: string;
  timeZone: string;
  reportingCurrency: string;
  attributionWindowDays: number;
  createdAt: string;
}

export type Scope = 'conversations:write' | 'dashboard:read' | 'ledger:read' | 'admin';

/** src/api/chat/admin.ts apiKeyView */
export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: Scope[];
  teams: string[] | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** GET /api/v1/views: a named range, team set and credit model, and who gets its weekly digest. */
export interface SavedView {
  id: string;
  name: string;
  range: { preset: import('../lib/days').Preset; from: Day | null; to: Day | null };
  teams: string[] | null;
  model: import('./analytics-types').CreditModel;
  digestRecipients: string[];
  digestUrl: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface SavedViews {
  views: SavedView[];
  email: { configured: boolean };
}

/** src/access/webhook-secrets.ts webhookSecretView */
export interface WebhookSecret {
  id: string;
  createdAt: string;
  revokedAt: string | null;
}

/** src/api/v1/users.ts userView */
export interface WorkspaceUser {
  id: string;
  email: string;
  name: string;
  createdAt: string;
  lastSignInAt: string | null;
  passwordChangeRequired: boolean;
  you: boolean;
}
