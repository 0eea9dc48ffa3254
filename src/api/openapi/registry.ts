// The one OpenAPI registry of the service. The document at /api/v1/openapi.json is generated
// from the same zod schemas the routes validate with, so it cannot drift from the code.
//
// How a route module documents itself (the chat routes in src/api/chat/ do it this way):
//   import { apiDocs, json, problems } from '../openapi/registry';
//   apiDocs.registerPath({
//     method: 'get', path: '/api/v1/things/{id}', tags: ['Things'], summary: 'One thing',
//     security: [{ apiKey: [] }],            // leave out for public routes
//     request: { params: z.object({ id: z.string() }), query: thingQuery },
//     responses: { 200: json('The thing', thingView), ...problems(401, 403, 404) },
//   });
// Call it at the top level of the module that defines the route (it runs once, when app.ts
// imports the module). Give a shape a component name with zod's own `.meta({ id: 'Thing' })`.
import { OpenAPIRegistry, OpenApiGeneratorV31, type ResponseConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

export const apiDocs = new OpenAPIRegistry();

apiDocs.registerComponent('securitySchemes', 'apiKey', {
  type: 'http',
  scheme: 'bearer',
  description:
    'An API key of the workspace ("cra_..."), created with `npm run cli -- keys:create` or POST /api/v1/admin/api-keys.',
});

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional().meta({ description: 'What went wrong and what to do about it.' }),
    requestId: z.string().optional().meta({ description: 'The x-request-id of the request, as in our logs.' }),
    errors: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .meta({ description: 'Every bad field of the input, e.g. "conversations[3].startedAt".' }),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details.' });

const PROBLEM_TEXT: Record<number, string> = {
  400: 'Invalid input: every bad field is named in `errors`',
  401: 'No API key, or an unknown or revoked one',
  403: 'The key lacks the scope, or may not see the team',
  404: 'Not found in this workspace',
  409: 'Conflicts with the current state',
  413: 'The body is over the size limit',
  415: 'The body is not JSON',
  429: 'Too many requests for this key: wait for Retry-After seconds',
  503: 'Busy (every download slot is in use): try again after Retry-After seconds',
};

/** A JSON response with a zod schema. */
export const json = (description: string, schema: z.ZodType): ResponseConfig => ({
  description,
  content: { 'application/json': { schema } },
});

/** The problem+json responses a route may give, by status. */
export function problems(...statuses: number[]): Record<number, ResponseConfig> {
  return Object.fromEntries(
    statuses.map((s) => [
      s,
      { description: PROBLEM_TEXT[s] ?? 'Problem', content: { 'application/problem+json': { schema: problemSchema } } },
    ]),
  );
}

/** Registered paths are fixed once the modules are loaded: the document is built once. */
let cached: Record<string, unknown> | null = null;
export function openApiDocument(serverUrl: string): Record<string, unknown> {
  cached ??= new OpenApiGeneratorV31(apiDocs.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Chat revenue attribution API',
      version: '1',
      description:
        'Chat conversations in; chat metrics, Pipeline Influenced and Closed-Won Influenced out. ' +
        'Every request is scoped to the workspace of its API key. Errors are RFC 9457 problem+json. ' +
        'Money is a decimal string with two places, in the workspace reporting currency. Guide: docs/chat-api.md.',
    },
    tags: [
      { name: 'Ingestion', description: 'Conversations in, by API key or signed webhook.' },
      { name: 'Reports', description: 'Chat metrics and influence, for the teams the key may see.' },
      { name: 'Ledger', description: 'The append-only ledger, for finance: workspace-wide.' },
      { name: 'Administration', description: 'Keys, webhook secrets, settings and teams: admin keys only.' },
      { name: 'Salesforce', description: "Connecting the workspace's org, and its sync: admin keys only." },
    ],
  }) as unknown as Record<string, unknown>;
  return { ...cached, servers: [{ url: serverUrl }] };
}
