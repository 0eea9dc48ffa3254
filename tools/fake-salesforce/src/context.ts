// The state one fake org's routes share: its records, tokens, API usage, faults and options.
import type { ApiUsage } from './api-usage';
import type { Faults } from './faults';
import type { ResolvedOptions } from './options';
import type { Store } from './store';
import type { TokenStore } from './tokens';

export type FakeContext = {
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
