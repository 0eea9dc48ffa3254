// main.ts, the double as a process of its own: one ready line on stdout, people's text on stderr,
// SIGTERM writes the state file and exits 0, a bad option exits 2 naming it, and a parent that
// goes away (its IPC channel closes) stops it.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

const root = path.join(__dirname, '..', '..', '..');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'fake-salesforce-process-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Ready = { ready: true; url: string; orgId: string; userId: string; restored: boolean };

function run(args: string[]) {
  const child = spawn(process.execPath, ['scripts/run.js', 'tools/fake-salesforce/src/main.ts', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const stdout: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const lines = createInterface({ input: child.stdout! });
  lines.on('line', (line) => stdout.push(line));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<Ready>((resolve, reject) => {
    lines.once('line', (line) => resolve(JSON.parse(line) as Ready));
    void exited.then((code) => reject(new Error(`exited (${code}) before ready:\n${stderr}`)));
  });
  ready.catch(() => {}); // awaited by the tests that expect a start
  return { child, ready, exited, stdout, stderr: () => stderr };
}

async function control(ready: Ready, command: string, args: unknown = {}): Promise<unknown> {
  const res = await fetch(`${ready.url}/__control/${command}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-control-token': 'tok' },
    body: JSON.stringify(args),
  });
  return ((await res.json()) as { result: unknown }).result;
}

describe('fake-salesforce as a process (main.ts)', () => {
  it('prints one ready line, seeds the demo at the fixed clock, and keeps the org across a SIGTERM and a restart', async () => {
    const stateFile = path.join(dir, 'org.json');
    const args = ['--state-file', stateFile, '--demo', '--clock', '2026-03-05T12:00:00Z', '--control-token', 'tok'];
    const first = run(args);
    const ready = await first.ready;
    expect(ready).toEqual({
      ready: true,
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      orgId: expect.stringMatching(/^00D/),
      userId: expect.stringMatching(/^005/),
      restored: false,
    });
    const chats = (await control(ready, 'demoChats')) as { at: string }[];
    expect(chats.length).toBeGreaterThan(10);
    expect(chats.every((c) => c.at < '2026-03-05T12:00:00Z')).toBe(true);
    expect(first.stderr()).toContain('Local test Salesforce (a test double, not Salesforce) is listening.');
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.stdout).toEqual([JSON.stringify(ready)]);
    expect(existsSync(stateFile)).toBe(true);

    const second = run(args);
    const again = await second.ready;
    expect(again).toMatchObject({ orgId: ready.orgId, userId: ready.userId, restored: true });
    expect(await control(again, 'demoChats')).toEqual(chats);
    expect(await control(again, 'isEmpty')).toBe(false);
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
  }, 30_000);

  it('takes a control token that starts with a dash in the --control-token=<token> form', async () => {
    // base64url tokens start with '-' one time in 64; the spaced form reads such a token as an option (CI, stop 15).
    const p = run(['--control-token=-tok']);
    const ready = await p.ready;
    const res = await fetch(`${ready.url}/__control/isEmpty`, {
      method: 'POST',
      headers: { 'x-control-token': '-tok' },
    });
    expect(res.status).toBe(200);
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
  }, 30_000);

  it('stops when its parent goes away', async () => {
    const p = run([]);
    await p.ready;
    p.child.disconnect(); // what the channel does when the parent dies
    expect(await p.exited).toBe(0);
  }, 30_000);

  it.each([
    [['--port', 'eighty'], '--port: expected a whole number, got "eighty"'],
    [['--page-size', '5000'], '--page-size: Too big: expected number to be <=2000'],
    [['--redirect-uri', 'not a url'], '--redirect-uri: Invalid URL'],
    [['--clock', 'tomorrow'], '--clock: expected an ISO-8601 instant such as 2026-03-05T12:00:00Z, got "tomorrow"'],
    [['--colour'], "Unknown option '--colour' (tools/fake-salesforce/README.md lists the options)"],
  ])(
    'refuses %j with exit code 2 and one line naming it',
    async (args, message) => {
      const p = run(args);
      expect(await p.exited).toBe(2);
      expect(p.stderr()).toBe(`fake-salesforce: ${message}\n`);
      expect(p.stdout).toEqual([]);
    },
    30_000,
  );
});
