// PKCE (RFC 7636) with S256: a fresh verifier per authorization. jsforce's own verifier is
// longer than Salesforce accepts (43-128 characters) and shared per instance, so we make ours.
import { createHash, randomBytes } from 'node:crypto';

export function newCodeVerifier(): string {
  return randomBytes(48).toString('base64url'); // 64 characters
}

export function codeChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}
