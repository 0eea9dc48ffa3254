// The Salesforce routes in the OpenAPI document.
import { z } from 'zod';
import { connectionStatusView } from '../../salesforce/status';
import { apiDocs, json, problems } from '../openapi/registry';

const tags = ['Salesforce'];
const security = [{ apiKey: [] }];
const loginQuery = z.object({
  environment: z.enum(['production', 'sandbox', 'custom']).optional().meta({ description: 'Login host: login.salesforce.com, test.salesforce.com, or the My Domain in `domain`' }),
  domain: z.string().optional().meta({ example: 'acme.my.salesforce.com' }),
  returnTo: z.string().optional().meta({ description: 'A path of this site the callback page links back to', example: '/salesforce' }),
});

apiDocs.registerPath({
  method: 'get', path: '/oauth/salesforce/authorize', tags, security,
  summary: 'Redirect an admin to Salesforce to connect the workspace\u2019s org',
  description: 'Web-server flow with PKCE (S256). The state is one-time, bound to the workspace, and expires in 10 minutes.',
  request: { query: loginQuery },
  responses: { 302: { description: 'To the Salesforce consent page' }, ...problems(400, 401, 403) },
});
apiDocs.registerPath({
  method: 'get', path: '/oauth/salesforce/callback', tags,
  summary: 'Where Salesforce sends the admin back; stores the connection and starts the first sync',
  request: { query: z.object({ code: z.string().optional(), state: z.string().optional(), error: z.string().optional(), error_description: z.string().optional() }) },
  responses: {
    200: { description: 'Connected (an HTML page)', content: { 'text/html': { schema: z.string() } } },
    400: { description: 'Replayed or expired state, denied consent or a Salesforce error: nothing stored (an HTML page)', content: { 'text/html': { schema: z.string() } } },
  },
});
apiDocs.registerPath({
  method: 'post', path: '/api/v1/salesforce/authorize', tags, security,
  summary: 'The Salesforce consent URL, for clients that navigate themselves',
  request: { body: { content: { 'application/json': { schema: loginQuery } } } },
  responses: { 200: json('The URL to open', z.object({ authorizeUrl: z.string() })), ...problems(400, 401, 403) },
});
apiDocs.registerPath({
  method: 'get', path: '/api/v1/salesforce/connection', tags, security,
  summary: 'The connection: org, status, each object\u2019s last run and checkpoint, API usage, last error',
  responses: { 200: json('The connection', connectionStatusView), ...problems(401, 403) },
});
apiDocs.registerPath({
  method: 'patch', path: '/api/v1/salesforce/connection', tags, security,
  summary: 'Change how often the org is synced',
  request: { body: { content: { 'application/json': { schema: z.object({ syncIntervalMinutes: z.number().int().min(5).max(1440) }) } } } },
  responses: { 200: json('The connection', connectionStatusView), ...problems(400, 401, 403, 404) },
});
apiDocs.registerPath({
  method: 'delete', path: '/api/v1/salesforce/connection', tags, security,
  summary: 'Disconnect: revoke the token at Salesforce and delete it here; synced data and the ledger stay',
  responses: {
    200: json('Disconnected', z.object({ disconnected: z.boolean(), revokedAtSalesforce: z.boolean(), revokeError: z.string().optional() })),
    ...problems(401, 403, 404),
  },
});
apiDocs.registerPath({
  method: 'post', path: '/api/v1/salesforce/sync', tags, security,
  summary: 'Sync the org now (never two runs of one org at once)',
  responses: { 202: json('Queued', z.object({ status: z.literal('queued'), connectionId: z.string() })), ...problems(401, 403, 404, 409) },
});
