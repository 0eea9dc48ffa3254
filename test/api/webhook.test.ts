import { sql } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { signChatWebhook } from '../../src/conversations/webhook-signature';
import type { Workspace } from '../../src/platform/db/schema';
import type { RunningService } from '../../src/app/service';
import { useTestDatabase } from '../support/database';
import { inProcessJobs } from '../support/queues';
import { startTestService, testConfig } from '../support/service';
import { apiClient, chat, newKey, newWorkspace, type ApiClient } from './helpers';

const database = useTestDatabase();
let service: RunningService;
let ws: Workspace;
let other: Workspace;
let admin: ApiClient;
let secret: string;

beforeAll(async () => {
  service = await startTestService({ database, jobs: inProcessJobs(), config: testConfig({ MAX_BODY_BYTES: '8192' }) });
  ws = await newWorkspace(database.db, 'hooked');
  other = await newWorkspace(database.db, 'other-hooked');
  admin = apiClient(service.url!, await newKey(database.db, ws.id, ['admin']));
  const created = await admin.post('/api/v1/admin/webhook-secrets');
  expect(created.status).toBe(201);
  secret = created.body.secret;
});
afterAll(() => service.close());

let n = 0;
const deliveryId = () => `msg_${++n}_${Date.now()}`;

async function deliver(
  body: string,
  opts: { slug?: string; secret?: string; id?: string; at?: Date; headers?: Record<string, string> } = {},
) {
  const signed = signChatWebhook(opts.secret ?? secret, opts.id ?? deliveryId(), opts.at ?? new Date(), body);
  const res = await fetch(`${service.url}/webhooks/chat?workspace=${opts.slug ?? ws.slug}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(signed as Record<string, string>), ...opts.headers },
    body,
  });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: text ? JSON.parse(text) : null };
}

const batch = (...conversations: unknown[]) => JSON.stringify({ conversations });
const stored = async (w: Workspace = ws) =>
  (
    await database.db.execute<{ id: string }>(
      sql`select id from conversations where workspace_id = ${w.id} order by id`,
    )
  ).map((r) => r.id);

describe('POST /webhooks/chat', () => {
  it('accepts a delivery signed with the workspace secret', async () => {
    const res = await deliver(batch(chat('w-1', '2026-03-02T10:00:00Z')));
    expect(res).toMatchObject({
      status: 200,
      body: { received: 1, inserted: 1, updated: 0, unchanged: 0, duplicate: false },
    });
    expect(await stored()).toContain('w-1');
  });

  it('writes a replayed delivery id only once, even with another body', async () => {
    const id = deliveryId();
    const at = new Date();
    expect((await deliver(batch(chat('w-2', '2026-03-02T10:00:00Z')), { id, at })).body).toMatchObject({
      inserted: 1,
      duplicate: false,
    });
    // The very same request again (bytes and headers), within the 5 minutes.
    expect(await deliver(batch(chat('w-2', '2026-03-02T10:00:00Z')), { id, at })).toMatchObject({
      status: 200,
      body: { duplicate: true, inserted: 0 },
    });
    const replay = await deliver(batch(chat('w-3', '2026-03-02T10:00:00Z')), { id });
    expect(replay).toMatchObject({ status: 200, body: { duplicate: true, inserted: 0, updated: 0 } });
    expect(await stored()).not.toContain('w-3');
  });

  it('accepts a delivery signed by the Standard Webhooks reference library, not only by our own signer', async () => {
    // The chat product signs with its own code; the spec's reference implementation (the
    // standardwebhooks npm package, https://github.com/standard-webhooks/standard-webhooks) stands in for it.
    const body = batch(chat('reference-signed', '2026-03-02T10:00:00Z'));
    const id = deliveryId();
    const at = new Date();
    const signature = new Webhook(secret).sign(id, at, body);
    const res = await fetch(`${service.url}/webhooks/chat?workspace=${ws.slug}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': signature,
      },
      body,
    });
    expect(res.status).toBe(200);
  });

  it('refuses a forged signature, a tampered body and a signature from another workspace', async () => {
    const body = batch(chat('forged', '2026-03-02T10:00:00Z'));
    const forged = await deliver(body, { secret: `whsec_${Buffer.alloc(32, 7).toString('base64')}` });
    expect(forged).toMatchObject({
      status: 401,
      body: { title: 'Unauthorized', detail: expect.stringMatching(/matches no active webhook secret/) },
    });
    expect(forged.type).toMatch(/^application\/problem\+json/);

    const signed = signChatWebhook(secret, deliveryId(), new Date(), body);
    const tampered = await fetch(`${service.url}/webhooks/chat?workspace=${ws.slug}`, {
      method: 'POST',
      headers: { ...(signed as Record<string, string>), 'content-type': 'application/json' },
      body: body.replace('forged', 'forget'),
    });
    expect(tampered.status).toBe(401);

    // The secret of `hooked` does not open `other-hooked`, which has none: the same answer as a bad signature.
    expect(await deliver(body, { slug: other.slug })).toMatchObject({
      status: 401,
      body: { detail: expect.stringMatching(/matches no active webhook secret/) },
    });
    expect(await deliver(body, { slug: 'no-such-workspace' })).toMatchObject({
      status: 401,
      body: { detail: expect.stringMatching(/matches no active webhook secret/) },
    });
    expect(await stored()).not.toContain('forged');
    expect(await stored(other)).toEqual([]);
  });

  it('refuses a signature older than 5 minutes, or dated ahead, and a delivery without the headers', async () => {
    const body = batch(chat('stale', '2026-03-02T10:00:00Z'));
    const old = await deliver(body, { at: new Date(Date.now() - 6 * 60_000) });
    expect(old).toMatchObject({ status: 401, body: { detail: expect.stringMatching(/more than 5 minutes old/) } });
    const ahead = await deliver(body, { at: new Date(Date.now() + 6 * 60_000) });
    expect(ahead).toMatchObject({ status: 401, body: { detail: expect.stringMatching(/ahead/) } });
    const bare = await fetch(`${service.url}/webhooks/chat?workspace=${ws.slug}`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    });
    expect(bare.status).toBe(401);
    expect(((await bare.json()) as { detail: string }).detail).toMatch(
      /webhook-id, webhook-timestamp and webhook-signature/,
    );
    const noSlug = await fetch(`${service.url}/webhooks/chat`, { method: 'POST', body });
    expect(noSlug.status).toBe(401);
    expect(await stored()).not.toContain('stale');
  });

  it('names the bad fields of a signed delivery, writes nothing and keeps its id usable', async () => {
    const id = deliveryId();
    const bad = await deliver(batch({ id: 'no-start', teamId: 'sales' }), { id });
    expect(bad).toMatchObject({ status: 400, body: { errors: [{ field: 'conversations[0].startedAt' }] } });
    expect(await stored()).not.toContain('no-start');
    const fixed = await deliver(batch(chat('no-start', '2026-03-02T10:00:00Z')), { id });
    expect(fixed.body).toMatchObject({ inserted: 1, duplicate: false });
  });

  it('answers 413 to a body over the limit', async () => {
    const big = batch(
      ...Array.from({ length: 100 }, (_, i) =>
        chat(`big-${i}`, '2026-03-02T10:00:00Z', { visitorId: 'v'.repeat(100) }),
      ),
    );
    expect((await deliver(big)).status).toBe(413);
  });

  it('accepts every active secret during a rotation, and none once revoked', async () => {
    const second = (await admin.post('/api/v1/admin/webhook-secrets')).body;
    expect(second.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect((await deliver(batch(chat('old-secret', '2026-03-02T10:00:00Z')))).status).toBe(200);
    expect((await deliver(batch(chat('new-secret', '2026-03-02T10:00:00Z')), { secret: second.secret })).status).toBe(
      200,
    );

    const list = await admin.get('/api/v1/admin/webhook-secrets');
    expect(list.body.webhookSecrets).toHaveLength(2);
    expect(JSON.stringify(list.body)).not.toContain(secret.slice(6));
    const first = list.body.webhookSecrets.find((s: { id: string }) => s.id !== second.webhookSecret.id);
    expect((await admin.delete(`/api/v1/admin/webhook-secrets/${first.id}`)).status).toBe(204);
    expect((await deliver(batch(chat('revoked', '2026-03-02T10:00:00Z')))).status).toBe(401);
    expect((await deliver(batch(chat('rotated', '2026-03-02T10:00:00Z')), { secret: second.secret })).status).toBe(200);
    secret = second.secret;
  });

  it('keeps the secrets encrypted at rest', async () => {
    const rows = await database.db.execute<{ secret_enc: string }>(
      sql`select secret_enc from webhook_secrets where workspace_id = ${ws.id}`,
    );
    for (const r of rows) {
      expect(r.secret_enc).toMatch(/^v1\./);
      expect(r.secret_enc).not.toContain(secret.slice(6, 20));
    }
  });
});
