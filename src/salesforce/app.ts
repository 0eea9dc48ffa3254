// Our connected app as this process knows it: credentials, callback, API version, trusted hosts.
import { OAuth2 } from 'jsforce';
import type { HostPolicy } from './hosts';

export interface SalesforceApp {
  clientId: string;
  clientSecret: string;
  /** `${PUBLIC_URL}/oauth/salesforce/callback`, as registered in the connected app. */
  redirectUri: string;
  apiVersion: string;
  /** Production and sandbox login hosts (the local test Salesforce replaces both in development). */
  loginUrls: { production: string; sandbox: string };
  hostPolicy: HostPolicy;
  requestTimeoutMs: number;
}

export function oauth2For(app: SalesforceApp, loginUrl: string): OAuth2 {
  return new OAuth2({ loginUrl, clientId: app.clientId, clientSecret: app.clientSecret, redirectUri: app.redirectUri });
}
