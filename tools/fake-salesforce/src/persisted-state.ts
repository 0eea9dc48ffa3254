// The shape of the state file: everything an org needs to come back as the same org after a
// restart (records, ids, tokens, API usage, the demo seed). Instants are epoch milliseconds, as
// the store keeps them, so they round-trip exactly. Codes, consent requests, query locators and
// Bulk jobs are short-lived and not kept. Version 2 (persistence.ts) is a log of JSON lines;
// version 1, one JSON object, is still read.
import { z } from 'zod';

const value = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const instant = z.number().int();

export const storeState = z.object({
  orgId: z.string().regex(/^00D[A-Za-z0-9]{15}$/),
  userId: z.string().regex(/^005[A-Za-z0-9]{15}$/),
  multiCurrency: z.boolean(),
  corporateCurrency: z.string(),
  /** How many ids the generator handed out. */
  idsIssued: z.number().int().min(0),
  /** Rows per object in creation order, soft-deleted ones included (hard-deleted ones are gone). */
  tables: z.record(z.string(), z.array(z.record(z.string(), value).and(z.object({ Id: z.string() })))),
  /** What getDeleted reports: soft and hard deletes, until an undelete. */
  deleted: z.array(z.object({ type: z.string(), id: z.string(), deletedAt: instant })),
});

export const tokenState = z.object({
  families: z.array(
    z.object({
      id: z.string(),
      scope: z.string(),
      issuedAt: instant,
      refreshToken: z.string().nullable(),
      revoked: z.boolean(),
    }),
  ),
  accessTokens: z.array(z.object({ token: z.string(), familyId: z.string(), expiresAt: instant })),
  /** Refresh tokens already rotated out: presenting one again revokes its family. */
  rotatedOut: z.array(z.object({ token: z.string(), familyId: z.string() })),
});

export const usageState = z.object({
  /** Requests counted per hour of the org's clock (start of the hour), for the rolling 24 hours. */
  hours: z.array(z.object({ start: instant, count: z.number().int().min(0) })),
});

const seededChat = z.object({
  id: z.string(),
  at: z.string(),
  teamId: z.string(),
  agentId: z.string().nullable(),
  emails: z.array(z.string()),
  contactIds: z.array(z.string()),
});

export const demoState = z.object({
  chats: z.array(seededChat),
  story: z.object({ accountId: z.string(), contactId: z.string(), opportunityId: z.string() }),
});

export const STATE_FORMAT = 'fake-salesforce-state';
export const STATE_VERSION = 2;

/** Version 1: the whole state as one JSON object (read, then rewritten as version 2). */
export const persistedState = z.object({
  format: z.literal(STATE_FORMAT),
  version: z.literal(1),
  /** For people reading the file; never read back. */
  savedAt: z.string(),
  org: storeState,
  tokens: tokenState,
  apiUsage: usageState,
  /** What seedDemoOrg returned, so demoChats() gives the same chats after a restart. */
  demo: demoState.nullable(),
  /** Scenario record id -> Salesforce id, for idFor(). */
  scenarioIds: z.record(z.string(), z.string()),
});

/**
 * Version 2 is JSON lines: this header, then one line per record and per change (state-log.ts).
 * `fields` lists each object's fields in the order a record line gives its values.
 */
export const stateHeader = z.object({
  format: z.literal(STATE_FORMAT),
  version: z.literal(STATE_VERSION),
  /** When the snapshot was written; for people reading the file, never read back. */
  savedAt: z.string(),
  org: storeState.pick({ orgId: true, userId: true, multiCurrency: true, corporateCurrency: true }),
  fields: z.record(z.string(), z.array(z.string())),
});

/** The lines after the header that are not records (records are arrays: [object, ...values]). */
export const stateLine = z.union([
  z.object({ gone: z.string(), id: z.string() }).strict(),
  z.object({ deleted: z.object({ type: z.string(), id: z.string(), deletedAt: instant }) }).strict(),
  z.object({ undeleted: z.string() }).strict(),
  z.object({ ids: z.number().int().min(0) }).strict(),
  z.object({ tokens: tokenState }).strict(),
  z.object({ apiUsage: usageState }).strict(),
  z.object({ demo: demoState.nullable() }).strict(),
  z.object({ scenarioIds: z.record(z.string(), z.string()) }).strict(),
]);

export type PersistedState = z.infer<typeof persistedState>;
export type StateHeader = z.infer<typeof stateHeader>;
export type StoreState = z.infer<typeof storeState>;
export type TokenState = z.infer<typeof tokenState>;
export type UsageState = z.infer<typeof usageState>;
export type DemoState = z.infer<typeof demoState>;
