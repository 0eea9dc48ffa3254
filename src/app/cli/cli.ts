// npm run cli -- COMMAND [options]: administer workspaces, users, API keys, teams and connections.
import { parseArgs } from 'node:util';
import { isAppError } from '../../platform/errors';
import { createRoot } from '../root';
import { runCommand } from './command';
import { commands } from './commands';

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'usage: npm run cli -- COMMAND [options]',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}\n  ${' '.repeat(width)}  ${c.usage}`),
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const command = commands.find((c) => c.name === name);
  if (!command) {
    const unknown = name && name !== 'help' && name !== '--help';
    process.stderr.write(`${unknown ? `unknown command "${name}"\n\n` : ''}${help()}\n`);
    return unknown ? 2 : 0;
  }
  let values;
  try {
    values = parseArgs({ args: rest, options: command.options, strict: true }).values;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\nusage: npm run cli -- ${command.name} ${command.usage}\n`);
    return 2;
  }
  const root = createRoot({ role: 'cli', poolMax: 2, quiet: true });
  try {
    await runCommand(
      command,
      { root, out: (line) => process.stdout.write(`${line}\n`), progress: (line) => process.stderr.write(`${line}\n`) },
      values,
    );
    return 0;
  } catch (err) {
    if (!isAppError(err)) throw err;
    process.stderr.write(`${err.message}\n`);
    // 2: what the operator gave is wrong (usage, unknown workspace); 1: the service could not do it.
    return err.status < 500 ? 2 : 1;
  } finally {
    await root.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`cli failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
