// Test helpers: a fake Salesforce on a settable clock, and a jsforce connection obtained the way
// the real sync gets one (authorization code + PKCE through the consent page).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jsforce, { type Connection, type OAuth2 } from 'jsforce';
import { s256, startFakeSalesforce, type FakeSalesforce, type FakeSalesforceOptions } from '../src';

export const CLIENT = {
  clientId: 'test-client-id',
  clientSecret: 'test-client-secret',
  redirectUri: 'http://localhost:5173/oauth/callback',
};

export type TestClock = { now: Date; advance(ms: number): void; clock: () => Date };

export function testClock(start = '2026-03-05T12:00:00Z'): TestClock {
  const c = {
    now: new Date(start),
    advance(ms: number) {
      c.now = new Date(c.now.getTime() + ms);
    },
    clock: () => c.now,
  };
  return c;
}

export function startFake(clock: TestClock, extra: Partial<FakeSalesforceOptions> = {}): Promise<FakeSalesforce> {
  return startFakeSalesforce({
    clientId: CLIENT.clientId,
    clientSecret: CLIENT.clientSecret,
    redirectUris: [CLIENT.redirectUri],
    clock: clock.clock,
    bulkJobDelayMs: 60,
    ...extra,
  });
}

/**
 * Doubles with a state file in a directory of each test's own, closed and removed after it:
 * `current` holds this test's directory, file and clock; `start` opens a double on that file,
 * `track` closes one opened otherwise after the test.
 */
export function useStateFileFakes(prefix: string, fileName: string) {
  const current = { dir: '', file: '', clock: testClock() };
  const open = new Set<FakeSalesforce>();
  beforeEach(() => {
    current.dir = mkdtempSync(path.join(os.tmpdir(), prefix));
    current.file = path.join(current.dir, fileName);
    current.clock = testClock();
  });
  afterEach(async () => {
    await Promise.all([...open].map((f) => f.close()));
    open.clear();
    rmSync(current.dir, { recursive: true, force: true });
  });
  return {
    current,
    track: (fake: FakeSalesforce): void => void open.add(fake),
    async start(extra: Partial<FakeSalesforceOptions> = {}): Promise<FakeSalesforce> {
      const fake = await startFake(current.clock, { stateFile: current.file, ...extra });
      open.add(fake);
      return fake;
    },
    async stop(fake: FakeSalesforce): Promise<void> {
      open.delete(fake);
      await fake.close();
    },
  };
}

export function oauth2For(fake: FakeSalesforce): OAuth2 {
  return new jsforce.OAuth2({ loginUrl: fake.url, ...CLIENT });
}

/** A verifier of 43..128 characters from the unreserved set, and its S256 challenge. */
export function pkcePair(bytes = 48): { verifier: string; challenge: string } {
  const verifier = randomBytes(bytes).toString('base64url');
  return { verifier, challenge: s256(verifier) };
}

export type Tokens = {
  access_token: string;
  refresh_token?: string;
  instance_url: string;
  id: string;
  [k: string]: unknown;
};

/** The web server flow with PKCE: consent page, Allow, code exchange. */
export async function authorize(
  fake: FakeSalesforce,
  scope = 'api refresh_token id',
): Promise<{ oauth2: OAuth2; tokens: Tokens }> {
  const oauth2 = oauth2For(fake);
  const { verifier, challenge } = pkcePair();
  const url = oauth2.getAuthorizationUrl({
    scope,
    state: 'st-1',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  } as Record<string, string>);
  const back = await fake.approveAuthorization(url);
  const tokens = (await oauth2.requestToken(back.searchParams.get('code')!, { code_verifier: verifier } as Record<
    string,
    string
  >)) as unknown as Tokens;
  return { oauth2, tokens };
}

export async function connect(fake: FakeSalesforce): Promise<{ conn: Connection; oauth2: OAuth2; tokens: Tokens }> {
  const { oauth2, tokens } = await authorize(fake);
  const conn = new jsforce.Connection({
    oauth2,
    instanceUrl: tokens.instance_url,
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    version: '62.0',
  });
  return { conn, oauth2, tokens };
}

/** A raw REST call with a token, for headers and bodies exactly as sent. */
export async function rest(fake: FakeSalesforce, token: string, path: string, init: RequestInit = {}) {
  const res = await fetch(`${fake.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) },
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* CSV or empty */
  }
  return { status: res.status, headers: res.headers, body };
}
