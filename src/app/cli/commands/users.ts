// Web app users: create (prints a generated password once, or reads one from stdin), list, remove.
import { normalizeEmail } from '../../../attribution/history';
import { generatePassword } from '../../../access/passwords';
import { createUser, listUsers, removeUser } from '../../../access/users';
import type { User } from '../../../platform/db/schema';
import { getWorkspaceBySlug } from '../../../workspaces/workspaces';
import { required, usageError, type CliCommand } from '../command';

const describe = (u: User) =>
  `${u.email}\t${u.name}${u.isDemo ? '\tDEMO' : ''}\tcreated ${u.createdAt.toISOString()}\t${u.lastSignInAt ? `last sign-in ${u.lastSignInAt.toISOString()}` : 'never signed in'}\t${u.id}`;

/** The whole of standard input, without its final line break (`printf %s "$PW" | ...` or `... < file`). */
export async function readStdin(stream: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

export function userCommands(stdin: () => Promise<string> = () => readStdin()): CliCommand[] {
  return [
    {
      name: 'users:create',
      summary:
        'create a web app user (an admin of the workspace); prints a generated password once unless --password-stdin',
      usage: '--workspace SLUG --email EMAIL --name NAME [--password-stdin]',
      options: {
        workspace: { type: 'string' },
        email: { type: 'string' },
        name: { type: 'string' },
        'password-stdin': { type: 'boolean' },
      },
      flags: { password: 'password-stdin' },
      async run({ root, out }, v) {
        const { db } = await root.database();
        const workspace = await getWorkspaceBySlug(db, required(v, 'workspace'));
        if (workspace.isDemo)
          throw usageError(
            `${workspace.slug} is the demo workspace: its visitors sign in with "Explore the demo workspace"`,
          );
        const given = v['password-stdin'] === true;
        const password = given ? await stdin() : generatePassword();
        const user = await createUser(db, workspace.id, {
          email: required(v, 'email'),
          name: required(v, 'name'),
          password,
        });
        out(describe(user));
        if (given) return;
        out('');
        out(password);
        out('');
        out('This is the only time the password is shown: give it to the person now (they sign in at the web app).');
      },
    },
    {
      name: 'users:list',
      summary: 'list the web app users of a workspace',
      usage: '--workspace SLUG',
      options: { workspace: { type: 'string' } },
      async run({ root, out }, v) {
        const { db } = await root.database();
        const workspace = await getWorkspaceBySlug(db, required(v, 'workspace'));
        for (const u of await listUsers(db, workspace.id)) out(describe(u));
      },
    },
    {
      name: 'users:remove',
      summary: 'remove a web app user; their sessions end at once',
      usage: '--workspace SLUG --email EMAIL',
      options: { workspace: { type: 'string' }, email: { type: 'string' } },
      async run({ root, out }, v) {
        const { db } = await root.database();
        const workspace = await getWorkspaceBySlug(db, required(v, 'workspace'));
        const email = required(v, 'email');
        if (!(await removeUser(db, workspace.id, email)))
          throw usageError(`no user ${email} in workspace ${workspace.slug}`);
        out(`removed ${normalizeEmail(email)}`);
      },
    },
  ];
}
