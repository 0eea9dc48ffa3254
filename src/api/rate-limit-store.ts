// Where rate-limit counts live: in Redis when REDIS_URL is set, so every API process shares them;
// otherwise in this process's memory (express-rate-limit's default store).
import type { Store } from 'express-rate-limit';
import IORedis from 'ioredis';
import { RedisStore } from 'rate-limit-redis';
import type { ApiDeps } from './deps';

/** A store for one limiter, named by `name` in its Redis keys and logs; undefined means memory. */
export function rateLimitStore(deps: Pick<ApiDeps, 'config' | 'logger'>, name: string): { store: Store } | Record<string, never> {
  const url = deps.config.queue.redisUrl;
  if (!url) return {};
  const client = new IORedis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: true });
  client.on('error', (err) => deps.logger.warn({ err: { message: err.message }, limiter: name }, 'rate limit redis connection error'));
  // Routers have no shutdown hook: the connection must not hold the process open at exit.
  client.on('connect', () => (client as unknown as { stream?: { unref?: () => void } }).stream?.unref?.());
  return {
    store: new RedisStore({
      prefix: `${deps.config.queue.prefix}:${name}:`,
      sendCommand: (command: string, ...args: string[]) => client.call(command, ...args) as Promise<never>,
    }),
  };
}
