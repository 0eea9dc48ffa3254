// Which hosts we send Salesforce credentials to. An instance URL returned by Salesforce is used
// only if its host is a Salesforce host, or the local test Salesforce in development.
import { z } from 'zod';
import { AppError } from '../platform/errors';

const SALESFORCE_DOMAINS = [
  'salesforce.com',
  'force.com',
  'cloudforce.com',
  'salesforce.mil',
  'force.mil',
  'salesforce-setup.com',
  'sfcrmapps.cn',
  'sfcrmproducts.cn',
  'salesforce.sfcrmproducts.cn',
];

export const LOGIN_URLS = {
  production: 'https://login.salesforce.com',
  sandbox: 'https://test.salesforce.com',
} as const;

export type LoginEnvironment = keyof typeof LOGIN_URLS | 'custom';

export interface HostPolicy {
  /** Extra origins allowed besides Salesforce's own (the local test Salesforce). */
  extraOrigins: string[];
}

export function isSalesforceUrl(value: string, policy: HostPolicy): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (policy.extraOrigins.includes(url.origin)) return true;
  if (url.protocol !== 'https:' || url.port !== '' || url.username || url.password) return false;
  const host = url.hostname.toLowerCase();
  return SALESFORCE_DOMAINS.some((d) => host === d || host.endsWith(`.${d}`));
}

export const untrustedHost = (url: string) =>
  new AppError('salesforce_untrusted_host', `refusing to use ${url}: it is not a Salesforce host`, {
    details: { url },
  });

export function assertSalesforceUrl(value: string, policy: HostPolicy): string {
  if (!isSalesforceUrl(value, policy)) throw untrustedHost(value);
  return new URL(value).origin;
}

export const loginChoice = z.discriminatedUnion('environment', [
  z.object({ environment: z.literal('production') }),
  z.object({ environment: z.literal('sandbox') }),
  z.object({
    environment: z.literal('custom'),
    /** A My Domain login host, e.g. acme.my.salesforce.com. */
    domain: z.string().trim().min(3),
  }),
]);
export type LoginChoice = z.infer<typeof loginChoice>;

/** The login URL for the admin's choice; a My Domain must be a Salesforce host. */
export function loginUrlFor(choice: LoginChoice, policy: HostPolicy): string {
  if (choice.environment !== 'custom') return LOGIN_URLS[choice.environment];
  const raw = /^https?:\/\//.test(choice.domain) ? choice.domain : `https://${choice.domain}`;
  return assertSalesforceUrl(raw, policy);
}
