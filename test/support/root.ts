// A composition root over the test's own parts, for code that takes its dependencies from one
// (the admin CLI's commands).
import type { Root } from '../../src/app/root';
import { rootOf } from '../../src/app/root';
import type { SecretBox } from '../../src/platform/crypto';
import type { TestDatabase } from './database';
import { testLogger } from './logger';
import { testConfig } from './service';

export function testRoot(
  database: TestDatabase,
  parts: { secrets?: SecretBox; env?: Record<string, string> } = {},
): Root {
  return rootOf({
    config: testConfig(parts.env),
    logger: testLogger,
    database: { ...database, shutdown: async () => {} },
    ...(parts.secrets ? { secrets: parts.secrets } : {}),
  });
}
