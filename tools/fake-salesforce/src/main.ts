// The local test Salesforce as a process of its own, for tests, benchmarks, `npm start` and demos:
//   node scripts/run.js tools/fake-salesforce/src/main.ts [options]   (README.md lists them)
// stdout carries exactly one line, the ready line ({"ready":true,"url":...}), for the parent to
// wait for; everything meant for people goes to stderr. SIGTERM or SIGINT closes the fake (writing
// the state file) and exits 0; a bad option is one line on stderr and exit 2.
import { writeFileSync } from 'node:fs';
import { readScenario } from '../../../src/scenarios/read';
import { startFakeSalesforce, type FakeSalesforce, type SeededChat } from '.';
import { parseCommandLine, UsageError, type CommandLine } from './command-line';

async function main(): Promise<void> {
  let line: CommandLine;
  try {
    line = parseCommandLine(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`fake-salesforce: ${err.message}\n`);
    process.exit(2);
  }
  const fake = await startFakeSalesforce(line.options);
  stopOnSignals(fake);
  try {
    const chats = await seed(fake, line);
    if (line.chatsOut) writeFileSync(line.chatsOut, `${JSON.stringify(chats, null, 2)}\n`);
    process.stderr.write(banner(fake, line, chats.length));
  } catch (err) {
    await fake.close();
    throw err;
  }
  const ready = { ready: true, url: fake.url, orgId: fake.orgId, userId: fake.userId, restored: fake.restored };
  process.stdout.write(`${JSON.stringify(ready)}\n`);
}

/** --demo into an empty org, then each --scenario; the chats to push to the chat side. */
async function seed(fake: FakeSalesforce, line: CommandLine): Promise<SeededChat[]> {
  const empty = fake.isEmpty;
  if (line.scenarios.length > 0 && !empty) {
    // Scenario chats are not kept in the state file, and loading a scenario twice would double it.
    throw new Error(
      `--scenario loads into an empty org, and ${line.options.stateFile} already holds one with data: delete the file to load again, or leave out --scenario`,
    );
  }
  if (line.demo && empty) fake.seedDemoOrg();
  const chats = line.demo ? fake.demoChats() : [];
  for (const file of line.scenarios) chats.push(...fake.seedScenario(await readScenario(file)).chats);
  return chats;
}

function stopOnSignals(fake: FakeSalesforce): void {
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    fake.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`fake-salesforce: closing failed: ${(err as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // Started with an IPC channel (by the test client or npm start): a parent that dies without
  // stopping us (SIGKILL, a crash) must not leave a fake holding the port and the state file.
  if (process.send) process.on('disconnect', stop);
}

function banner(fake: FakeSalesforce, line: CommandLine, chats: number): string {
  const { options } = line;
  return [
    'Local test Salesforce (a test double, not Salesforce) is listening.',
    `  login URL and instance URL: ${fake.url}`,
    `  client id / secret:         ${options.clientId} / ${options.clientSecret}`,
    `  org id / user id:           ${fake.orgId} / ${fake.userId}`,
    ...(options.stateFile
      ? [`  state file:                 ${options.stateFile} (${fake.restored ? 'restored' : 'new org'})`]
      : []),
    ...(options.controlToken
      ? [`  control API:                POST ${fake.url}/__control/<command> (x-control-token)`]
      : []),
    `  chats to push:              ${chats}${line.chatsOut ? ` (written to ${line.chatsOut})` : ''}`,
    'Stop it with Ctrl+C or SIGTERM.',
    '',
  ].join('\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`fake-salesforce: ${failure(err)}\n`);
  process.exit(1);
});

function failure(err: unknown): string {
  const e = err as NodeJS.ErrnoException & { port?: number };
  if (e?.code === 'EADDRINUSE')
    return `port ${e.port} is already in use (another fake-salesforce or npm start?): stop that, or choose another --port`;
  return err instanceof Error ? err.message : String(err);
}
