// npm start without a connected app: the local test Salesforce runs as a child process on
// LOCAL_SALESFORCE_PORT with a demo org kept in DATA_DIR, and stops with the service.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLocalSalesforce } from '../../src/app/local-salesforce';
import { LOCAL_CLIENT, openSalesforce } from '../../src/app/salesforce';
import { testLogger } from '../support/logger';
import { freePort } from '../support/ports';
import { testConfig } from '../support/service';

let dataDir: string;
beforeAll(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'local-salesforce-'));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('openSalesforce with the local test Salesforce', () => {
  it('serves a demo org on its port as our connected app, and brings the same org back after a restart', async () => {
    const port = await freePort();
    const config = testConfig({
      LOCAL_SALESFORCE: 'on',
      LOCAL_SALESFORCE_PORT: String(port),
      DATA_DIR: dataDir,
      PUBLIC_URL: 'http://localhost:3999',
    });
    const first = await openSalesforce(config, testLogger, 'all');
    expect(first.app).toMatchObject({
      ...LOCAL_CLIENT,
      loginUrls: { production: `http://127.0.0.1:${port}` },
      redirectUri: 'http://localhost:3999/oauth/salesforce/callback',
    });
    expect(first.local!.url).toBe(`http://127.0.0.1:${port}`);
    const chats = first.local!.demoChats;
    expect(chats.length).toBeGreaterThan(10);
    expect(Object.keys(chats[0]!).sort()).toEqual(['agentId', 'at', 'emails', 'id', 'teamId']);
    const consent = await fetch(
      `${first.local!.url}/services/oauth2/authorize?response_type=code&client_id=${LOCAL_CLIENT.clientId}&redirect_uri=${encodeURIComponent(first.app!.redirectUri)}`,
    );
    expect(consent.status).toBe(200);
    // Not visible without the token npm start keeps to itself.
    expect((await fetch(`${first.local!.url}/__control/demoChats`, { method: 'POST' })).status).toBe(403);
    await first.local!.close();
    await expect(fetch(first.local!.url)).rejects.toThrow();

    const second = await openSalesforce(config, testLogger, 'all');
    try {
      expect(second.local!.demoChats).toEqual(chats);
    } finally {
      await second.local!.close();
    }
  }, 60_000);

  it('only talks to it from the api or worker role, which npm start runs it for', async () => {
    const config = testConfig({ LOCAL_SALESFORCE: 'on', LOCAL_SALESFORCE_PORT: '3901' });
    expect(await openSalesforce(config, testLogger, 'worker')).toMatchObject({
      app: { loginUrls: { production: 'http://127.0.0.1:3901' } },
      local: null,
    });
  });

  it('says what to do where tools/ is not installed (a production image)', async () => {
    await expect(startLocalSalesforce([], { main: '/app/tools/fake-salesforce/src/main.ts' })).rejects.toThrow(
      'the local test Salesforce is not part of this installation (/app/tools/fake-salesforce/src/main.ts is missing; a production image leaves tools/ out): ' +
        'set SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET to connect real orgs, or LOCAL_SALESFORCE=off',
    );
  });
});
