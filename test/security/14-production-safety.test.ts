// Finding 14 of the attack round: "Production safety. With NODE_ENV=production: refuse to start
// with the local Salesforce on; refuse to start without DATABASE_URL (no silent embedded database);
// refuse a missing or too-short session secret."
// config.ts already refused the first two. There is no session secret to refuse: a session is a
// random 32-byte token whose sha256 is its row id (access/sessions.ts), and nothing signs cookies.
// The one secret the service keys with is ENCRYPTION_KEYS (secrets at rest), refused when missing
// or shorter than 32 bytes, and LEDGER_KEYS (the ledger chain's HMAC, finding 8). These tests keep all of it true, starting the way `npm start` does.
import { loadConfig } from '../../src/platform/config';
import { isAppError } from '../../src/platform/errors';

const key = (bytes: number) => `k1:${Buffer.alloc(bytes, 7).toString('base64')}`;
const production = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://app@db:5432/attribution',
  ENCRYPTION_KEYS: key(32),
  ENCRYPTION_KEY_ID: 'k1',
  LEDGER_KEYS: `l1:${Buffer.alloc(32, 9).toString('base64')}`,
  LEDGER_KEY_ID: 'l1',
};

function refusal(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    if (isAppError(err, 'misconfigured')) return err.message;
    throw err;
  }
  return 'started';
}

describe('finding 14: production refuses unsafe settings', () => {
  it('starts with a database and a 32-byte key', () => {
    expect(refusal(production)).toBe('started');
  });

  it('refuses the local test Salesforce', () => {
    expect(refusal({ ...production, LOCAL_SALESFORCE: 'on' })).toMatch(/LOCAL_SALESFORCE: .*never runs in production/);
  });

  it('never runs the local test Salesforce by default, even without a connected app', () => {
    expect(loadConfig(production).salesforce.local).toBe(false);
  });

  it('refuses to start without DATABASE_URL rather than serve an embedded database', () => {
    const { DATABASE_URL: _, ...env } = production;
    expect(refusal(env)).toMatch(/DATABASE_URL: required in production/);
  });

  it('refuses to start without a ledger key (the chain would be keyed by nothing the database lacks)', () => {
    const { LEDGER_KEYS: _, LEDGER_KEY_ID: __, ...env } = production;
    expect(refusal(env)).toMatch(/LEDGER_KEYS: required in production/);
  });

  it('refuses to start without an encryption key', () => {
    const { ENCRYPTION_KEYS: _, ENCRYPTION_KEY_ID: __, ...env } = production;
    expect(refusal(env)).toMatch(/ENCRYPTION_KEYS: required in production/);
  });

  it.each([16, 31])('refuses a %i-byte encryption key', (bytes) => {
    expect(refusal({ ...production, ENCRYPTION_KEYS: key(bytes) })).toMatch(/ENCRYPTION_KEYS: .*32.byte/);
  });
});
