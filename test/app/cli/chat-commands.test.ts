import { chatCommands } from '../../../src/app/cli/commands/chat';
import { runCommand } from '../../../src/app/cli/command';
import { activeWebhookSecrets } from '../../../src/access/webhook-secrets';
import { createSecretBox, newKey, parseKeyList } from '../../../src/platform/crypto';
import { useTestDatabase } from '../../support/database';
import { testRoot } from '../../support/root';
import { newWorkspace } from '../../api/helpers';

const database = useTestDatabase();
const KEYS = `cli:${newKey()}`;
const ROOT_PARTS = { secrets: createSecretBox(parseKeyList(KEYS), 'cli') };

async function run(name: string, values: Record<string, string>) {
  const command = chatCommands.find((c) => c.name === name)!;
  const lines: string[] = [];
  await runCommand(command, { root: testRoot(database, ROOT_PARTS), out: (l) => lines.push(l) }, values);
  return lines;
}

describe('the chat CLI commands', () => {
  it('add, rename and list teams', async () => {
    await newWorkspace(database.db, 'cli-teams');
    expect(await run('teams:add', { workspace: 'cli-teams', id: 'sales', name: 'Sales' })).toEqual([
      'added\tsales\tSales',
    ]);
    expect(await run('teams:add', { workspace: 'cli-teams', id: 'sales', name: 'Sales EMEA' })).toEqual([
      'renamed\tsales\tSales EMEA',
    ]);
    expect((await run('teams:list', { workspace: 'cli-teams' }))[0]).toMatch(/^sales\tSales EMEA\tcreated /);
    await expect(run('teams:add', { workspace: 'cli-teams', id: 'x' })).rejects.toThrow('--name is required');
  });

  it('create a webhook secret shown once and stored encrypted, list it, and revoke it', async () => {
    const ws = await newWorkspace(database.db, 'cli-hooks');
    const out = await run('webhook-secrets:create', { workspace: 'cli-hooks' });
    const secret = out.find((l) => l.startsWith('whsec_'))!;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(out.join('\n')).toContain('/webhooks/chat?workspace=cli-hooks');
    expect(await activeWebhookSecrets(database.db, createSecretBox(parseKeyList(KEYS), 'cli'), ws.id)).toEqual([
      secret,
    ]);

    const listed = await run('webhook-secrets:list', { workspace: 'cli-hooks' });
    expect(listed).toHaveLength(1);
    expect(listed[0]).not.toContain(secret.slice(6));
    const id = listed[0]!.split('\t')[0]!;
    expect(await run('webhook-secrets:revoke', { workspace: 'cli-hooks', id })).toEqual([`revoked ${id}`]);
    expect(await run('webhook-secrets:list', { workspace: 'cli-hooks' })).toEqual([
      expect.stringMatching(/\trevoked /),
    ]);
    await expect(run('webhook-secrets:revoke', { workspace: 'cli-hooks', id })).rejects.toThrow(
      /no active webhook secret/,
    );
  });
});
