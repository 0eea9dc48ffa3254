import { loadConfig } from '../../src/platform/config';
import { isAppError } from '../../src/platform/errors';

describe('configuration', () => {
  it('has sensible defaults for a fresh machine', () => {
    const config = loadConfig({});
    expect(config.database.url).toBeNull();
    expect(config.queue.redisUrl).toBeNull();
    expect(config.http).toEqual({ host: '127.0.0.1', port: 3000, trustProxy: false });
    expect(config.database.embeddedPort).toBe(54329);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ REDIS_URL: '', PORT: '' }).queue.redisUrl).toBeNull();
  });

  it('names every bad variable and what it expects, without echoing a password', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://root:hunter2@db/x', LOG_LEVEL: 'loud' });
    } catch (err) {
      error = err;
    }
    expect(isAppError(error, 'misconfigured')).toBe(true);
    const message = (error as Error).message;
    expect(message).toMatch(/PORT: expected a whole number from 0 to 65535 \(got "eighty"\)/);
    expect(message).toMatch(/DATABASE_URL: expected a URL such as postgres:\/\//);
    expect(message).toMatch(/LOG_LEVEL: /);
    expect(message).not.toContain('hunter2');
  });

  describe('in production', () => {
    const keys = {
      ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
      ENCRYPTION_KEY_ID: 'k1',
      LEDGER_KEYS: `l1:${Buffer.alloc(32, 8).toString('base64')}`,
      LEDGER_KEY_ID: 'l1',
    };
    const production = { NODE_ENV: 'production', DATABASE_URL: 'postgres://app@db:5432/attribution', ...keys };
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return [];
      } catch (err) {
        return isAppError(err, 'misconfigured') ? (err.details.problems as string[]) : [String(err)];
      }
    };

    it('starts with a database and keys', () => {
      expect(problems(production)).toEqual([]);
      expect(loadConfig(production).salesforce.local).toBe(false);
    });

    it('refuses to start without DATABASE_URL rather than serve an embedded database', () => {
      const { DATABASE_URL: _, ...env } = production;
      expect(problems(env)).toEqual([expect.stringMatching(/^DATABASE_URL: required in production/)]);
    });

    it('refuses to start without a ledger key, which keys the hash chain outside the database', () => {
      const { LEDGER_KEYS: _, LEDGER_KEY_ID: __, ...env } = production;
      expect(problems(env)).toEqual([expect.stringMatching(/^LEDGER_KEYS: required in production/)]);
      expect(problems({ ...production, LEDGER_KEY_ID: 'l2' })).toEqual([
        'LEDGER_KEY_ID: "l2" is not a key id in LEDGER_KEYS',
      ]);
    });

    it('refuses to start with the local test Salesforce on', () => {
      expect(problems({ ...production, LOCAL_SALESFORCE: 'on' })).toEqual([
        expect.stringMatching(/^LOCAL_SALESFORCE: the local test Salesforce .* never runs in production/),
      ]);
    });
  });
});
