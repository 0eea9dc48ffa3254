// The ledger keys: HMAC keys outside the database that key the hash chain, so someone who can
// write the tables (a superuser, a stolen owner login) cannot recompute a valid chain.
// Every entry names its key, so keys rotate: new entries use the active key, old ones verify
// while their key stays configured.
import { createHash } from 'node:crypto';
import type { Config } from '../platform/config';
import { parseKeyList } from '../platform/crypto';

export interface LedgerKeys {
  readonly activeKeyId: string;
  readonly keys: ReadonlyMap<string, Buffer>;
  /** No LEDGER_KEYS: the well-known development key, which protects nothing. */
  readonly development: boolean;
}

export const DEVELOPMENT_LEDGER_KEY_ID = 'dev';

/** Outside production only (the config refuses production without LEDGER_KEYS): derived from a public label. */
export function developmentLedgerKeys(): LedgerKeys {
  const key = createHash('sha256').update('chat-revenue-attribution: development ledger key, not a secret').digest();
  return {
    activeKeyId: DEVELOPMENT_LEDGER_KEY_ID,
    keys: new Map([[DEVELOPMENT_LEDGER_KEY_ID, key]]),
    development: true,
  };
}

const cache = new WeakMap<Config['ledger'], LedgerKeys>();

export function ledgerKeysOf(config: Pick<Config, 'ledger'>): LedgerKeys {
  const { keys, activeKeyId } = config.ledger;
  if (!keys || !activeKeyId) return developmentLedgerKeys();
  let parsed = cache.get(config.ledger);
  if (!parsed) {
    const map = parseKeyList(keys);
    for (const [id, key] of map)
      if (key.length !== 32) throw new Error(`ledger key "${id}" must be 32 bytes (base64 of 32 random bytes)`);
    parsed = { activeKeyId, keys: map, development: false };
    cache.set(config.ledger, parsed);
  }
  return parsed;
}

/** What a process says once when it signs or verifies with the development key. */
export const DEVELOPMENT_KEY_WARNING =
  'LEDGER_KEYS is not set: the ledger hash chain uses the public development key (set LEDGER_KEYS in production)';
