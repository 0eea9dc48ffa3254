import type { RunningService } from '../../src/app/service';
import { useTestDatabase } from '../support/database';
import { inProcessJobs } from '../support/queues';
import { startTestService } from '../support/service';

const database = useTestDatabase();
let service: RunningService;

beforeAll(async () => {
  service = await startTestService({ database, jobs: inProcessJobs(), role: 'api' });
});
afterAll(() => service.close());

describe('the API documentation', () => {
  it('serves an OpenAPI 3.1 document of every chat route, without a key', async () => {
    const res = await fetch(`${service.url}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as any;
    expect(doc.openapi).toBe('3.1.0');
    const operations = Object.entries(doc.paths as Record<string, object>).flatMap(([path, item]) =>
      Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(operations).toEqual(
      expect.arrayContaining([
        'POST /api/v1/conversations',
        'POST /webhooks/chat',
        'GET /api/v1/dashboard',
        'GET /api/v1/leaderboard',
        'GET /api/v1/ledger',
        'GET /api/v1/ledger.csv',
        'GET /api/v1/opportunities/{id}/attribution',
        'GET /api/v1/teams',
        'POST /api/v1/teams',
        'DELETE /api/v1/teams/{id}',
        'GET /api/v1/workspace',
        'PATCH /api/v1/workspace',
        'POST /api/v1/admin/api-keys',
        'GET /api/v1/admin/api-keys',
        'DELETE /api/v1/admin/api-keys/{id}',
        'POST /api/v1/admin/webhook-secrets',
        'GET /api/v1/admin/webhook-secrets',
        'DELETE /api/v1/admin/webhook-secrets/{id}',
        'GET /oauth/salesforce/authorize',
        'GET /oauth/salesforce/callback',
        'POST /api/v1/salesforce/authorize',
        'GET /api/v1/salesforce/connection',
        'PATCH /api/v1/salesforce/connection',
        'DELETE /api/v1/salesforce/connection',
        'POST /api/v1/salesforce/sync',
        'GET /api/v1/credit',
        'GET /api/v1/opportunities',
        'GET /api/v1/opportunities.csv',
        'GET /api/v1/outcomes',
        'GET /api/v1/conversion',
        'GET /api/v1/funnel',
        'GET /api/v1/funnel/stages',
        'PUT /api/v1/funnel/stages',
        'GET /api/v1/chat-operations',
        'GET /api/v1/agents',
        'PUT /api/v1/agents/{id}',
      ]),
    );
    expect(doc.components.schemas.SalesforceConnection).toBeDefined();
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    // Shapes come from the zod schemas the routes validate with.
    expect(doc.components.schemas.ConversationBatch.properties.conversations).toMatchObject({
      maxItems: 1000,
      minItems: 1,
    });
    expect(doc.components.schemas.Conversation.required).toEqual(['id', 'teamId', 'startedAt']);
    expect(doc.components.schemas.Dashboard.properties.totals.properties.pipelineInfluenced).toMatchObject({
      type: 'string',
      pattern: expect.any(String),
    });
    expect(doc.paths['/api/v1/conversations'].post.responses['400'].content['application/problem+json'].schema).toEqual(
      { $ref: '#/components/schemas/Problem' },
    );
    expect(doc.paths['/api/v1/dashboard'].get.parameters.map((p: { name: string }) => p.name)).toEqual([
      'from',
      'to',
      'teams',
      'granularity',
    ]);
  });

  it('defines every figure of the reports: each number and amount has a description, or its group has', async () => {
    const doc = (await (await fetch(`${service.url}/api/v1/openapi.json`)).json()) as any;
    const missing: string[] = [];
    const walk = (schema: any, path: string, groupDescribed: boolean): void => {
      if (!schema) return;
      if (schema.$ref) return walk(doc.components.schemas[schema.$ref.split('/').at(-1)], path, groupDescribed);
      const described = Boolean(schema.description);
      for (const alt of schema.anyOf ?? schema.oneOf ?? []) walk(alt, path, groupDescribed || described);
      if (schema.type === 'array') return walk(schema.items, `${path}[]`, groupDescribed || described);
      if (schema.properties) {
        for (const [name, child] of Object.entries<any>(schema.properties)) walk(child, `${path}.${name}`, described);
        return;
      }
      const types = [schema.type].flat();
      const figure = types.includes('number') || types.includes('integer') || schema.pattern === '^-?\\d+\\.\\d{2}$';
      if (figure && !described && !groupDescribed) missing.push(path);
    };
    for (const name of [
      'Credit',
      'Outcomes',
      'Conversion',
      'Funnel',
      'ChatOperations',
      'InfluencedOpportunityPage',
      'Leaderboard',
    ]) {
      expect({ name, defined: Boolean(doc.components.schemas[name]) }).toEqual({ name, defined: true });
      walk(doc.components.schemas[name], name, false);
    }
    expect(missing).toEqual([]);
  });

  it('serves a readable reference at /docs, rendered from the document, with no script and no CDN', async () => {
    const page = await fetch(`${service.url}/docs`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).not.toMatch(/<script/i);
    const assets = [...html.matchAll(/(?:src|href)="([^"#][^"]*)"/g)].map((m) => m[1]!);
    expect(assets.filter((a) => /^https?:/.test(a))).toEqual([]);
    for (const asset of assets) {
      const res = await fetch(`${service.url}${asset}`);
      expect({ asset, status: res.status }).toEqual({ asset, status: 200 });
    }
    // Every operation of the document has its section, and every link inside the page lands.
    const doc = (await (await fetch(`${service.url}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    for (const path of Object.keys(doc.paths)) expect(html).toContain(`<code class="path">${path}</code>`);
    const ids = new Set([...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]));
    const anchors = [...html.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]!);
    expect(anchors.filter((a) => !ids.has(a))).toEqual([]);
  });
});
