// The state one fake org's routes share: its records, tokens, API usage, faults and options.
import type { ApiUsage } from './api-usage';
import type { Faults } from './faults';
import type { ResolvedOptions } from './options';
import type { Store } from './store';
import type { TokenStore } from './tokens';

/** What a test makes the org do that a real org does on its own: failed Bulk jobs, a user losing access. */
export type Behaviour = {
  /** Objects whose Bulk API query jobs end Failed or Aborted. */
  bulkFailures: Map<string, { state: 'Failed' | 'Aborted'; errorMessage: string }>;
  /** False once the connected user lost "API Enabled": every REST call is refused. */
  apiEnabled: boolean;
  /** False once the connected user was deactivated: refreshes fail with invalid_grant. */
  userActive: boolean;
};

export type FakeContext = {
  behaviour: Behaviour;
  options: ResolvedOptions;
  store: Store;
  tokens: TokenStore;
  usage: ApiUsage;
  faults: Faults;
  /** Epoch milliseconds from the configured clock. */
  now(): number;
  /** The server's own URL (login host and instance URL alike), known once it listens. */
  baseUrl(): string;
};
