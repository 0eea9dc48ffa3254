// Runs the local test Salesforce from a terminal, for demos and manual testing:
//   node scripts/run.js src/dev/fake-salesforce/start.ts --port 4711 --client-id demo --client-secret demo \
//     --redirect-uri http://localhost:3000/oauth/callback [--demo] [--scenario file.json] [--chats-out chats.json]
//     [--state-file .data/fake-salesforce.json] [--org-id 00D…]
// With a state file, a restart brings back the same org; it is seeded only while still empty.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readScenario } from '../../../src/scenarios/read';
import { startFakeSalesforce, type SeededChat } from '.';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '4711' },
      host: { type: 'string', default: '127.0.0.1' },
      'client-id': { type: 'string', default: 'local-test-client' },
      'client-secret': { type: 'string', default: 'local-test-secret' },
      'redirect-uri': { type: 'string', multiple: true },
      'multi-currency': { type: 'boolean', default: false },
      demo: { type: 'boolean', default: false },
      scenario: { type: 'string', multiple: true },
      'chats-out': { type: 'string' },
      'state-file': { type: 'string' },
      'org-id': { type: 'string' },
    },
  });
  const fake = await startFakeSalesforce({
    port: Number(values.port), host: values.host, clientId: values['client-id'], clientSecret: values['client-secret'],
    redirectUris: values['redirect-uri'], multiCurrency: values['multi-currency'],
    stateFile: values['state-file'], orgId: values['org-id'],
  });
  const restored = !fake.isEmpty;
  if (restored && values.scenario) {
    await fake.close();
    // Scenario chats are not kept in the state file, and loading a scenario twice would double it.
    throw new Error(`--scenario loads into an empty org, and ${values['state-file']} already holds one with data: delete the file to load again, or leave out --scenario`);
  }
  if (values.demo && !restored) fake.seedDemoOrg();
  const chats: SeededChat[] = values.demo ? fake.demoChats() : [];
  for (const file of values.scenario ?? []) chats.push(...fake.seedScenario(await readScenario(file)).chats);
  if (values['chats-out']) writeFileSync(values['chats-out'], `${JSON.stringify(chats, null, 2)}\n`);

  process.stdout.write([
    'Local test Salesforce (a test double, not Salesforce) is listening.',
    `  login URL and instance URL: ${fake.url}`,
    `  client id / secret:         ${values['client-id']} / ${values['client-secret']}`,
    `  org id / user id:           ${fake.orgId} / ${fake.userId}`,
    ...(values['state-file'] ? [`  state file:                 ${values['state-file']} (${restored ? 'restored' : 'new org'})`] : []),
    `  chats to push:              ${chats.length}${values['chats-out'] ? ` (written to ${values['chats-out']})` : ''}`,
    'Press Ctrl+C to stop.',
    '',
  ].join('\n'));
  const stop = () => void fake.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
