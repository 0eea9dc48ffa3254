// Secrets at rest: AES-256-GCM with a key id in every ciphertext, so keys can rotate (new writes
// use the active key; old ciphertexts still decrypt while their key is configured). The row's
// identity is the associated data: a ciphertext copied to another row does not decrypt.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError } from './errors';

const VERSION = 'v1';

export interface SecretBox {
  encrypt(plaintext: string, associatedData: string): string;
  decrypt(ciphertext: string, associatedData: string): string;
  readonly activeKeyId: string;
}

const undecryptable = (why: string) => new AppError('secret_undecryptable', why);

/** keys: key id -> 32-byte key. */
export function createSecretBox(keys: Map<string, Buffer>, activeKeyId: string): SecretBox {
  const active = keys.get(activeKeyId);
  if (!active) throw new Error(`the active encryption key "${activeKeyId}" is not among the configured keys`);
  for (const [id, key] of keys) {
    if (key.length !== 32) throw new Error(`encryption key "${id}" must be 32 bytes (base64 of 32 random bytes)`);
  }
  return {
    activeKeyId,
    encrypt(plaintext, associatedData) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', active, iv);
      cipher.setAAD(Buffer.from(associatedData, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [
        VERSION,
        activeKeyId,
        iv.toString('base64url'),
        cipher.getAuthTag().toString('base64url'),
        body.toString('base64url'),
      ].join('.');
    },
    decrypt(ciphertext, associatedData) {
      const [version, keyId, iv, tag, body] = ciphertext.split('.');
      if (version !== VERSION || !keyId || !iv || !tag || body === undefined)
        throw undecryptable('not a ciphertext of ours');
      const key = keys.get(keyId);
      if (!key) throw undecryptable(`encrypted with key "${keyId}", which is not configured (ENCRYPTION_KEYS)`);
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAAD(Buffer.from(associatedData, 'utf8'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        throw undecryptable('the ciphertext does not decrypt for this row (tampered, moved, or a wrong key)');
      }
    },
  };
}

/** "k2:BASE64,k1:BASE64" -> Map. */
export function parseKeyList(list: string): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  for (const item of list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const i = item.indexOf(':');
    if (i <= 0) throw new Error('expected "keyid:base64key" items separated by commas');
    keys.set(item.slice(0, i), Buffer.from(item.slice(i + 1), 'base64'));
  }
  return keys;
}

export function newKey(): string {
  return randomBytes(32).toString('base64');
}
