// The options of startFakeSalesforce, as a zod schema: the one definition of their shape and defaults.
import path from 'node:path';
import { z } from 'zod';
import { normalizeId } from './ids';

export const fakeSalesforceOptions = z.object({
  /** 0 picks a free port. */
  port: z.number().int().min(0).max(65535).default(0),
  host: z.string().min(1).default('127.0.0.1'),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  /** The connected app's callback URLs; when absent, any http(s) redirect_uri is accepted. */
  redirectUris: z.array(z.string().url()).optional(),
  /** Refresh token rotation: each refresh returns a new refresh token and retires the old one. */
  rotateRefreshTokens: z.boolean().default(true),
  /** Records per query page (Salesforce: 2000); a Sforce-Query-Options batchSize of 200..2000 overrides it. */
  pageSize: z.number().int().min(1).max(2000).default(2000),
  /** DailyApiRequests Max (a Developer Edition org has 15,000). */
  dailyApiLimit: z.number().int().min(1).default(15_000),
  /** Lifetime of an access token (Salesforce's default session timeout is two hours). */
  accessTokenTtlMs: z
    .number()
    .int()
    .positive()
    .default(2 * 60 * 60 * 1000),
  /** How long a Bulk API 2.0 query job stays UploadComplete / InProgress before JobComplete. */
  bulkJobDelayMs: z.number().int().min(0).default(300),
  /**
   * Rows in each page a Bulk API 2.0 query job's resultPages lists. Salesforce does not document
   * its size; the default is the sync's own page size through the locator (maxRecords=10000), so
   * both paths ask for the same number of pages.
   */
  bulkResultPageRecords: z.number().int().min(1).default(10_000),
  /**
   * Field history tracking on Contact (Email) and Lead (Status, Email): ContactHistory and
   * LeadHistory exist and record each change. Off: those objects do not exist (INVALID_TYPE).
   */
  fieldHistory: z.boolean().default(true),
  /** getDeleted answers EXCEEDED_ID_LIMIT above this many ids in a window (Salesforce: 600,000). */
  getDeletedIdLimit: z.number().int().min(1).default(600_000),
  /**
   * Requests to /services/data in flight at once above which Salesforce answers REQUEST_LIMIT_EXCEEDED
   * "ConcurrentPerOrgLongTxn Limit exceeded." (its limit is 25 long-running requests per org).
   */
  concurrentRequestLimit: z.number().int().min(1).default(25),
  /**
   * How long a refresh takes at the token endpoint; a second refresh of the same token meanwhile is
   * refused with invalid_grant "token request is already being processed", as Salesforce does.
   */
  tokenRefreshMs: z.number().int().min(0).default(0),
  /** Multi-currency org: Opportunity.CurrencyIsoCode, CurrencyType and DatedConversionRate. */
  multiCurrency: z.boolean().default(false),
  orgName: z.string().min(1).default('Demo Org (local test Salesforce)'),
  /** "Now" for every record written through the API, token lifetimes and getDeleted's window. */
  clock: z.custom<() => Date>((v) => typeof v === 'function', 'expected a function returning a Date').optional(),
  /**
   * A JSON file the whole org is kept in (records, ids, tokens, API usage), so a restart brings
   * back the same org; created when absent. Resolved against the working directory.
   */
  stateFile: z
    .string()
    .min(1)
    .transform((file) => path.resolve(file))
    .optional(),
  /** The org id of a new org (15 or 18 characters, 00D…), kept in its 18-character form; random when absent. */
  orgId: z
    .string()
    .regex(/^00D[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?$/, 'an org id has 15 or 18 letters and digits and starts with 00D')
    .refine(
      (id) => normalizeId(id) !== null,
      'the last 3 characters of an 18-character id must be the case-safe suffix of the first 15',
    )
    .transform((id) => normalizeId(id)!)
    .optional(),
  /**
   * Serves the control API (POST /__control/<command>, see control.ts) to requests that send this
   * token in x-control-token; without it there is no control API at all.
   */
  controlToken: z.string().min(1).optional(),
});

export type FakeSalesforceOptions = z.input<typeof fakeSalesforceOptions>;
export type ResolvedOptions = z.output<typeof fakeSalesforceOptions>;
