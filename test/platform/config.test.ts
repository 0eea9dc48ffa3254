import { ConfigError, loadConfig } from '../../src/platform/config';

describe('configuration', () => {
  it('has sensible defaults for a fresh machine', () => {
    const config = loadConfig({});
    expect(config.database.url).toBeNull();
    expect(config.queue.redisUrl).toBeNull();
    expect(config.http).toEqual({ host: '127.0.0.1', port: 3000 });
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
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/PORT: expected a whole number from 0 to 65535 \(got "eighty"\)/);
    expect(message).toMatch(/DATABASE_URL: expected a URL such as postgres:\/\//);
    expect(message).toMatch(/LOG_LEVEL: /);
    expect(message).not.toContain('hunter2');
  });
});
