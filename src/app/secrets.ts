// The secret box for this process: ENCRYPTION_KEYS when set; in development, a key generated
// once into DATA_DIR (mode 0600), so `npm start` works with nothing configured.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../platform/config';
import { createSecretBox, newKey, parseKeyList, type SecretBox } from '../platform/crypto';
import type { Logger } from '../platform/logger';

export function openSecretBox(config: Config, logger: Logger): SecretBox {
  if (config.encryption.keys && config.encryption.activeKeyId) {
    return createSecretBox(parseKeyList(config.encryption.keys), config.encryption.activeKeyId);
  }
  const file = path.resolve(config.dataDir, 'encryption-keys');
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `dev:${newKey()}\n`, { mode: 0o600 });
  }
  logger.warn(
    { file },
    'ENCRYPTION_KEYS is not set: using the development key in DATA_DIR (set ENCRYPTION_KEYS in production)',
  );
  return createSecretBox(parseKeyList(readFileSync(file, 'utf8').trim()), 'dev');
}
