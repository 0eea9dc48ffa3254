// API keys: random, shown once, stored as a sha256 hash, looked up by their visible prefix.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, desc, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../platform/db/client';
import { apiKeys, apiKeyScopes, type ApiKey, type ApiKeyScope } from '../platform/db/schema';
import { parseInput } from '../platform/errors';

const KEY = /^cra_([0-9a-f]{8})_([A-Za-z0-9_-]{43})$/;

/**
 * A team-restricted key may write or read, not both. With both it could post a chat with any
 * email and watch its own dashboard pick up whichever deal that email touches, another team's
 * included (security finding 10). Why in docs/chat-api.md, "Keys, scopes and teams".
 */
export function writesAndReadsForTeams(scopes: readonly ApiKeyScope[], teams: readonly string[] | null | undefined) {
  return (
    !!teams &&
    scopes.includes('conversations:write') &&
    (scopes.includes('dashboard:read') || scopes.includes('ledger:read'))
  );
}
export const WRITE_AND_READ_FOR_TEAMS =
  "a key restricted to teams may write conversations or read reports, not both (with both it could probe other teams' deals): create one key for each";

export const newApiKeyInput = z
  .object({
    name: z.string().trim().min(1, 'give the key a name that says who uses it').max(100),
    scopes: z.array(z.enum(apiKeyScopes)).min(1, 'give at least one scope'),
    /** Teams the key may see; absent or null: all teams. */
    teams: z.array(z.string().min(1)).min(1).nullish(),
  })
  // An admin manages keys, settings and the org for the whole workspace: a team restriction on
  // it would be a fiction (it could mint itself an unrestricted key).
  .refine((k) => !(k.teams && k.scopes.includes('admin')), {
    path: ['teams'],
    message: 'an admin key acts for the whole workspace: give it no teams, or drop the admin scope',
  })
  .refine((k) => !writesAndReadsForTeams(k.scopes, k.teams), {
    path: ['scopes'],
    message: WRITE_AND_READ_FOR_TEAMS,
  });
export type NewApiKeyInput = z.infer<typeof newApiKeyInput>;

export interface CreatedApiKey {
  /** The whole key: shown to its creator once, never stored. */
  key: string;
  apiKey: PublicApiKey;
}

/** What may be shown of a key after its creation. */
export type PublicApiKey = Omit<ApiKey, 'hash'>;

export const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');
const toPublic = ({ hash: _hash, ...rest }: ApiKey): PublicApiKey => rest;

export async function createApiKey(db: DbOrTx, workspaceId: string, input: NewApiKeyInput): Promise<CreatedApiKey> {
  const parsed = parseInput(newApiKeyInput, input);
  const id = randomBytes(4).toString('hex');
  const key = `cra_${id}_${randomBytes(32).toString('base64url')}`;
  const [row] = await db
    .insert(apiKeys)
    .values({
      workspaceId,
      name: parsed.name,
      prefix: `cra_${id}`,
      hash: hashKey(key),
      scopes: [...new Set(parsed.scopes)],
      teams: parsed.teams ? [...new Set(parsed.teams)] : null,
    })
    .returning();
  return { key, apiKey: toPublic(row!) };
}

export async function listApiKeys(db: DbOrTx, workspaceId: string): Promise<PublicApiKey[]> {
  const rows = await db
    .select()
    .from(apiKeys)
    .where(eq(apiKeys.workspaceId, workspaceId))
    .orderBy(desc(apiKeys.createdAt));
  return rows.map(toPublic);
}

/** Revokes a key of this workspace; false when there is no such active key. */
export async function revokeApiKey(db: DbOrTx, workspaceId: string, keyId: string): Promise<boolean> {
  if (!z.uuid().safeParse(keyId).success) return false;
  const rows = await db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.workspaceId, workspaceId), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  if (rows.length > 0) revocations += 1;
  return rows.length > 0;
}

/** Keys revoked by this process so far: a cache of verified keys (api-key-cache.ts) drops what it
 * holds when this changes. */
let revocations = 0;
export const revocationsSoFar = () => revocations;

/** The active key this secret belongs to, or null. Marks it used (at most once a minute). */
export async function verifyApiKey(db: DbOrTx, presented: string): Promise<ApiKey | null> {
  const m = KEY.exec(presented);
  if (!m) return null;
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(eq(apiKeys.prefix, `cra_${m[1]}`));
  if (!row || row.revokedAt) return null;
  const a = Buffer.from(hashKey(presented), 'hex');
  const b = Buffer.from(row.hash, 'hex');
  if (a.length !== b.length || !timingSafeEqual(a, b)) return null;
  await db
    .update(apiKeys)
    .set({ lastUsedAt: new Date() })
    .where(
      and(
        eq(apiKeys.id, row.id),
        or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, sql`now() - interval '1 minute'`)),
      ),
    );
  return row;
}

export function hasScope(scopes: readonly ApiKeyScope[], needed: ApiKeyScope): boolean {
  return scopes.includes('admin') || scopes.includes(needed);
}
