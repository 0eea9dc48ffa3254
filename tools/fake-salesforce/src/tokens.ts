// Authorization codes, access tokens and refresh tokens, grouped in families (one per consent).
// With rotation on, each refresh hands out a new refresh token; presenting a rotated-out one
// revokes the whole family, as Salesforce's refresh token rotation does on reuse. Families and
// access tokens survive a restart through serialize/restore; codes live 15 minutes and do not.
import { createHash, randomBytes } from 'node:crypto';
import { OAuthError } from './errors';
import type { TokenState } from './persisted-state';

export type Grant = { clientId: string; redirectUri: string; scope: string; codeChallenge: string | null };
type Code = Grant & { expiresAt: number; used: boolean };
type Family = { id: string; scope: string; issuedAt: number; refreshToken: string | null; revoked: boolean };
type Access = { familyId: string; expiresAt: number };

export type IssuedTokens = { accessToken: string; refreshToken: string | null; scope: string; issuedAt: number };

const CODE_TTL_MS = 15 * 60 * 1000;
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
const expired = () => new OAuthError(400, 'invalid_grant', 'expired access/refresh token');

export class TokenStore {
  private readonly codes = new Map<string, Code>();
  private readonly families = new Map<string, Family>();
  private readonly access = new Map<string, Access>();
  /** Refresh tokens already rotated out, and the family each belonged to. */
  private readonly rotatedOut = new Map<string, string>();
  private readonly refreshOwner = new Map<string, string>();

  constructor(
    private readonly orgId: string,
    private readonly now: () => number,
    private readonly options: { rotateRefreshTokens: boolean; accessTokenTtlMs: number },
    /** Called after every change worth saving: tokens issued, rotated, revoked or expired. */
    private readonly changed: () => void = () => {},
  ) {}

  issueCode(grant: Grant): string {
    const code = `aPrx${token(48)}==`;
    this.codes.set(code, { ...grant, expiresAt: this.now() + CODE_TTL_MS, used: false });
    return code;
  }

  /** Exchanges a one-time code; the verifier must hash (S256) to the challenge given at authorize. */
  redeemCode(code: string, redirectUri: string, clientId: string, verifier: string | undefined): IssuedTokens {
    const grant = this.codes.get(code);
    if (!grant || grant.used || grant.clientId !== clientId)
      throw new OAuthError(400, 'invalid_grant', 'invalid authorization code');
    if (grant.expiresAt <= this.now()) throw new OAuthError(400, 'invalid_grant', 'expired authorization code');
    if (grant.redirectUri !== redirectUri)
      throw new OAuthError(400, 'redirect_uri_mismatch', 'redirect_uri must match configuration');
    if (
      grant.codeChallenge !== null &&
      (!verifier || !VERIFIER.test(verifier) || s256(verifier) !== grant.codeChallenge)
    ) {
      throw new OAuthError(400, 'invalid_grant', 'invalid code verifier');
    }
    grant.used = true;
    return this.newFamily(grant.scope);
  }

  refresh(refreshToken: string): IssuedTokens {
    const reusedFamily = this.rotatedOut.get(refreshToken);
    if (reusedFamily) {
      this.revokeFamily(reusedFamily);
      throw expired();
    }
    const family = this.families.get(this.refreshOwner.get(refreshToken) ?? '');
    if (!family || family.revoked) throw expired();
    let next: string | null = refreshToken;
    if (this.options.rotateRefreshTokens) {
      next = newRefreshToken();
      this.rotatedOut.set(refreshToken, family.id);
      this.refreshOwner.delete(refreshToken);
      this.refreshOwner.set(next, family.id);
      family.refreshToken = next;
    }
    const issuedAt = this.now();
    this.changed();
    return {
      accessToken: this.newAccess(family.id, issuedAt),
      refreshToken: this.options.rotateRefreshTokens ? next : null,
      scope: family.scope,
      issuedAt,
    };
  }

  /** Revokes the family of an access or refresh token; false when the token is unknown. */
  revoke(tokenValue: string): boolean {
    const familyId =
      this.access.get(tokenValue)?.familyId ?? this.refreshOwner.get(tokenValue) ?? this.rotatedOut.get(tokenValue);
    if (!familyId) return false;
    this.revokeFamily(familyId);
    return true;
  }

  revokeAll(): void {
    for (const id of this.families.keys()) this.revokeFamily(id);
  }

  expireAccessTokens(): void {
    for (const a of this.access.values()) a.expiresAt = 0;
    this.changed();
  }

  serialize(): TokenState {
    return {
      families: [...this.families.values()].map((f) => ({ ...f })),
      accessTokens: [...this.access].map(([token, a]) => ({ token, ...a })),
      rotatedOut: [...this.rotatedOut].map(([token, familyId]) => ({ token, familyId })),
    };
  }

  /** Replaces every family and token; pending authorization codes are dropped. */
  restore(state: TokenState): void {
    this.codes.clear();
    this.families.clear();
    this.access.clear();
    this.rotatedOut.clear();
    this.refreshOwner.clear();
    for (const f of state.families) {
      this.families.set(f.id, { ...f });
      // A family's current refresh token is the one it answers to, revoked or not.
      if (f.refreshToken) this.refreshOwner.set(f.refreshToken, f.id);
    }
    for (const a of state.accessTokens) this.access.set(a.token, { familyId: a.familyId, expiresAt: a.expiresAt });
    for (const r of state.rotatedOut) this.rotatedOut.set(r.token, r.familyId);
  }

  /** The family's scope when the access token is live; null when unknown, expired or revoked. */
  checkAccess(tokenValue: string): { scope: string } | null {
    const a = this.access.get(tokenValue);
    const family = a && this.families.get(a.familyId);
    if (!a || !family || family.revoked || a.expiresAt <= this.now()) return null;
    return { scope: family.scope };
  }

  private newFamily(scope: string): IssuedTokens {
    const issuedAt = this.now();
    const scopes = scope.split(' ');
    // Salesforce only hands out a refresh token when the refresh_token or offline_access scope was granted.
    const refreshToken =
      scopes.includes('refresh_token') || scopes.includes('offline_access') ? newRefreshToken() : null;
    const family: Family = { id: token(12), scope, issuedAt, refreshToken, revoked: false };
    this.families.set(family.id, family);
    if (refreshToken) this.refreshOwner.set(refreshToken, family.id);
    this.changed();
    return { accessToken: this.newAccess(family.id, issuedAt), refreshToken, scope, issuedAt };
  }

  private newAccess(familyId: string, issuedAt: number): string {
    // Salesforce access tokens start with the 15-character org id and a "!".
    const value = `${this.orgId.slice(0, 15)}!${token(72)}`;
    this.access.set(value, { familyId, expiresAt: issuedAt + this.options.accessTokenTtlMs });
    return value;
  }

  private revokeFamily(id: string): void {
    const family = this.families.get(id);
    if (family) family.revoked = true;
    this.changed();
  }
}

export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

const newRefreshToken = () => `5Aep861${token(60)}`;

function token(bytes: number): string {
  return randomBytes(bytes).toString('base64url').replace(/[-_]/g, '.');
}
