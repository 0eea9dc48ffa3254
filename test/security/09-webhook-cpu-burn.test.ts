// Finding 9 of the attack round: "The webhook can be made to burn CPU without authentication. A 5 MB
// body with a bogus signature costs about 150 ms of pure-JS HMAC per active secret. Verify with
// node:crypto (createHmac, timingSafeEqual). Give webhooks a smaller body limit than the API. Reject
// before buffering when the headers are missing. Rate-limit per workspace and per IP. Unknown
// workspaces and bad signatures get the same answer; today the answer reveals which slugs exist."
import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { createWebhookSecret } from '../../src/access/webhook-secrets';
import { signChatWebhook, verifyChatWebhook } from '../../src/conversations/webhook-signature';
import type { RunningService } from '../../src/app/service';
import { useTestDatabase } from '../support/database';
import { inProcessJobs } from '../support/queues';
import { startTestService, testConfig, testSecrets } from '../support/service';
import { chat, newWorkspace } from '../api/helpers';

const database = useTestDatabase();
const secrets = testSecrets();
let service: RunningService;
let slug: string;
let secret: string;

beforeAll(async () => {
  service = await startTestService({
    database,
    jobs: inProcessJobs(),
    secrets,
    config: testConfig({ WEBHOOK_RATE_LIMIT_PER_MINUTE: '100', WEBHOOK_REFUSALS_PER_MINUTE: '1000' }),
  });
  const ws = await newWorkspace(database.db, 'hooked');
  slug = ws.slug;
  secret = (await createWebhookSecret(database.db, secrets, ws.id)).secret;
  await createWebhookSecret(database.db, secrets, ws.id);
  await createWebhookSecret(database.db, secrets, ws.id);
});
afterAll(() => service.close());

const BOGUS = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
const body = JSON.stringify({ conversations: [chat('c1', '2026-03-02T10:00:00Z')] });

async function post(path: string, payload: string | Buffer, headers: Record<string, string>) {
  const res = await fetch(`${service.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: payload,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}
const signed = (s: string, payload = body) =>
  signChatWebhook(s, `msg_${Math.random()}`, new Date(), payload) as Record<string, string>;
const withoutRequestId = ({ requestId: _, ...rest }: Record<string, unknown>) => rest;

/** Sends only the headers and a first chunk of a large body; resolves with the status if it answers before the rest. */
function answerBeforeBody(path: string, headers: Record<string, string>, declared: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL(`${service.url}${path}`);
    const req = request(
      { host: url.hostname, port: url.port, path, method: 'POST', headers: { ...headers, 'content-length': declared } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
        req.destroy();
      },
    );
    req.on('error', (err) => (err.message.includes('socket hang up') ? undefined : reject(err)));
    req.write(Buffer.alloc(1024, 32));
    // The rest never comes: only an answer given before the body is read can arrive.
    setTimeout(() => reject(new Error('no answer before the body was sent')), 3000).unref();
  });
}

describe('finding 9: the webhook cannot be made to burn CPU', () => {
  it('verifies a 5 MB body against 3 secrets in far less than the 450 ms of pure-JS HMAC', async () => {
    const big = Buffer.alloc(5 * 1024 * 1024, 97);
    const small = Buffer.from(body);
    // The fastest of 5 calls: the machine is shared, and other work only ever adds time.
    const cost = async (payload: Buffer) => {
      const headers = signed(BOGUS, payload.toString());
      const times = [];
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        await expect(verifyChatWebhook(database.db, secrets, slug, headers, payload)).rejects.toThrow(/matches no/);
        times.push(performance.now() - started);
      }
      return Math.min(...times);
    };
    await cost(small);
    // What the body adds to a refusal: the HMACs, without the database round trips both make.
    const hmacs = (await cost(big)) - (await cost(small));
    console.log(`verifying 5 MB against 3 secrets costs ${hmacs.toFixed(1)} ms more than a small body`);
    // node:crypto: about 8 ms per secret for 5 MB on an idle machine; fast-sha256 in JS took 150-270 ms per secret.
    expect(hmacs).toBeLessThan(200);
  });

  it('accepts a delivery signed with node:crypto as Standard Webhooks signs it', async () => {
    expect((await post(`/webhooks/chat?workspace=${slug}`, body, signed(secret))).status).toBe(200);
  });

  it('refuses a body over 256 KiB (the webhook limit, below the API 5 MiB) before reading it', async () => {
    expect(await answerBeforeBody(`/webhooks/chat?workspace=${slug}`, signed(BOGUS), 256 * 1024 + 1)).toBe(413);
    expect(await answerBeforeBody(`/webhooks/chat?workspace=${slug}`, signed(BOGUS), 5 * 1024 * 1024)).toBe(413);
  });

  it('refuses before reading the body when the signature headers are missing', async () => {
    expect(await answerBeforeBody(`/webhooks/chat?workspace=${slug}`, {}, 200 * 1024)).toBe(401);
  });

  it('answers an unknown workspace exactly as a bad signature: status, body and about the time', async () => {
    const unknown = await post('/webhooks/chat?workspace=no-such-slug', body, signed(BOGUS));
    const bad = await post(`/webhooks/chat?workspace=${slug}`, body, signed(BOGUS));
    expect(unknown.status).toBe(401);
    expect(bad.status).toBe(401);
    expect(withoutRequestId(unknown.body)).toEqual(withoutRequestId(bad.body));
    expect(unknown.headers.get('content-type')).toBe(bad.headers.get('content-type'));

    const payload = Buffer.alloc(200 * 1024, 97).toString();
    const time = async (path: string) => {
      const t = performance.now();
      await post(path, payload, signed(BOGUS, payload));
      return performance.now() - t;
    };
    const known: number[] = [];
    const absent: number[] = [];
    for (let i = 0; i < 15; i++) {
      known.push(await time(`/webhooks/chat?workspace=${slug}`));
      absent.push(await time('/webhooks/chat?workspace=no-such-slug'));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    // Both read the body and run the HMAC; only the number of secrets differs (3 against 1 decoy).
    expect(Math.abs(median(known) - median(absent))).toBeLessThan(Math.max(5, median(known) / 2));
  });

  it('limits deliveries per workspace, counting an unknown slug alike', async () => {
    const limited = await startTestService({
      database,
      jobs: inProcessJobs(),
      secrets,
      config: testConfig({ WEBHOOK_RATE_LIMIT_PER_MINUTE: '3', WEBHOOK_REFUSALS_PER_MINUTE: '1000' }),
    });
    try {
      for (const target of [slug, 'no-such-slug']) {
        const statuses = [];
        for (let i = 0; i < 4; i++) {
          const res = await fetch(`${limited.url}/webhooks/chat?workspace=${target}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...signed(target === slug ? secret : BOGUS) },
            body,
          });
          await res.arrayBuffer();
          statuses.push(res.status);
        }
        expect(statuses).toEqual(target === slug ? [200, 200, 200, 429] : [401, 401, 401, 429]);
      }
    } finally {
      await limited.close();
    }
  });

  it('limits refused deliveries per client address, and never counts accepted ones', async () => {
    const limited = await startTestService({
      database,
      jobs: inProcessJobs(),
      secrets,
      config: testConfig({ WEBHOOK_RATE_LIMIT_PER_MINUTE: '1000', WEBHOOK_REFUSALS_PER_MINUTE: '3' }),
    });
    const send = async (headers: Record<string, string>, target = slug) => {
      const res = await fetch(`${limited.url}/webhooks/chat?workspace=${target}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
      await res.arrayBuffer();
      return res.status;
    };
    try {
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push(await send(signed(secret)));
      statuses.push(await send(signed(BOGUS)), await send({}), await send(signed(BOGUS), 'no-such-slug'));
      statuses.push(await send(signed(BOGUS)), await send(signed(secret)));
      expect(statuses).toEqual([200, 200, 200, 200, 200, 401, 401, 401, 429, 429]);
    } finally {
      await limited.close();
    }
  });
});
