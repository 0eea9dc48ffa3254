// Runs the local test Salesforce from a terminal, for demos and manual testing:
//   node scripts/run.js src/dev/fake-salesforce/start.ts --port 4711 --client-id demo --client-secret demo \
//     --redirect-uri http://localhost:3000/oauth/callback [--demo] [--scenario file.json] [--chats-out chats.json]
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readScenario } from '../../scenario/read';
import { startFakeSalesforce, type SeededChat } from './index';

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
    },
  });
  const fake = await startFakeSalesforce({
    port: Number(values.port), host: values.host, clientId: values['client-id'], clientSecret: values['client-secret'],
    redirectUris: values['redirect-uri'], multiCurrency: values['multi-currency'],
  });
  const chats: SeededChat[] = [];
  if (values.demo) chats.push(...fake.seedDemoOrg().chats);
  for (const file of values.scenario ?? []) chats.push(...fake.seedScenario(await readScenario(file)).chats);
  if (values['chats-out']) writeFileSync(values['chats-out'], `${JSON.stringify(chats, null, 2)}\n`);

  process.stdout.write([
    'Local test Salesforce (a test double, not Salesforce) is listening.',
    `  login URL and instance URL: ${fake.url}`,
    `  client id / secret:         ${values['client-id']} / ${values['client-secret']}`,
    `  org id / user id:           ${fake.orgId} / ${fake.userId}`,
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
