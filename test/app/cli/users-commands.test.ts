import { sql } from 'drizzle-orm';
import { checkCredentials } from '../../../src/access/sign-in';
import { runCommand } from '../../../src/app/cli/command';
import { userCommands } from '../../../src/app/cli/commands/users';
import { ensureDemoWorkspace } from '../../../src/app/demo/demo-workspace';
import { newWorkspace } from '../../api/helpers';
import { useTestDatabase } from '../../support/database';
import { testRoot } from '../../support/root';

const database = useTestDatabase();
const ROOT_PARTS = {};

async function run(name: string, values: Record<string, string | boolean>, stdin = '') {
  const command = userCommands(async () => stdin).find((c) => c.name === name)!;
  const lines: string[] = [];
  await runCommand(command, { root: testRoot(database, ROOT_PARTS), out: (l) => lines.push(l) }, values);
  return lines;
}

describe('the users CLI commands', () => {
  it('create a user with a generated password printed once, which signs in', async () => {
    const ws = await newWorkspace(database.db, 'cli-users');
    const out = await run('users:create', { workspace: 'cli-users', email: 'Ana@Example.com', name: 'Ana Lima' });
    expect(out[0]).toMatch(/^ana@example\.com\tAna Lima\tcreated .+\tnever signed in\t[0-9a-f-]{36}$/);
    const password = out[2]!;
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(out.join('\n')).toContain('only time the password is shown');
    expect(await checkCredentials(database.db, { email: 'ana@example.com', password })).toMatchObject({
      outcome: 'signed_in',
      user: { workspaceId: ws.id },
    });
    const [stored] = await database.db.execute<{ password_hash: string }>(
      sql`select password_hash from users where email = 'ana@example.com'`,
    );
    expect(stored!.password_hash).toMatch(/^scrypt\$N=32768,r=8,p=1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(stored!.password_hash).not.toContain(password);
  });

  it('take a password from stdin without printing it, and refuse a short one', async () => {
    await newWorkspace(database.db, 'cli-stdin');
    const out = await run(
      'users:create',
      { workspace: 'cli-stdin', email: 'bo@example.com', name: 'Bo', 'password-stdin': true },
      'a long enough passphrase',
    );
    expect(out).toHaveLength(1);
    expect(
      await checkCredentials(database.db, { email: 'bo@example.com', password: 'a long enough passphrase' }),
    ).toMatchObject({ outcome: 'signed_in' });
    await expect(
      run(
        'users:create',
        { workspace: 'cli-stdin', email: 'cy@example.com', name: 'Cy', 'password-stdin': true },
        'short',
      ),
    ).rejects.toThrow('--password-stdin: use at least 12 characters');
    await expect(
      run('users:create', { workspace: 'cli-stdin', email: 'BO@example.com', name: 'Bo again' }),
    ).rejects.toThrow(/already exists in this workspace/);
  });

  it('list and remove users', async () => {
    await newWorkspace(database.db, 'cli-list');
    await run('users:create', { workspace: 'cli-list', email: 'dee@example.com', name: 'Dee' });
    expect((await run('users:list', { workspace: 'cli-list' })).map((l) => l.split('\t')[0])).toEqual([
      'dee@example.com',
    ]);
    expect(await run('users:remove', { workspace: 'cli-list', email: 'DEE@example.com' })).toEqual([
      'removed dee@example.com',
    ]);
    expect(await run('users:list', { workspace: 'cli-list' })).toEqual([]);
    await expect(run('users:remove', { workspace: 'cli-list', email: 'dee@example.com' })).rejects.toThrow(
      /no user dee@example.com/,
    );
  });

  it('keep people out of the demo workspace', async () => {
    await ensureDemoWorkspace(database.db, []);
    await expect(run('users:create', { workspace: 'demo', email: 'x@example.com', name: 'X' })).rejects.toThrow(
      /is the demo workspace/,
    );
  });
});
