// npm run cli -- COMMAND [options]: administer workspaces, API keys and connections.
import { parseArgs } from 'node:util';
import { loadConfig } from '../../platform/config';
import { createLogger } from '../../platform/logger';
import { openDatabase } from '../database';
import { WorkspaceNotFoundError } from '../../workspaces/workspaces';
import { CliError } from './command';
import { commands } from './commands/index';

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return ['usage: npm run cli -- COMMAND [options]', '', ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}\n  ${' '.repeat(width)}  ${c.usage}`)].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const command = commands.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`${name && name !== 'help' && name !== '--help' ? `unknown command "${name}"\n\n` : ''}${help()}\n`);
    return name && name !== 'help' && name !== '--help' ? 2 : 0;
  }
  let values;
  try {
    values = parseArgs({ args: rest, options: command.options, strict: true }).values;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\nusage: npm run cli -- ${command.name} ${command.usage}\n`);
    return 2;
  }
  const config = loadConfig();
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const database = await openDatabase(config, logger, { poolMax: 2 });
  try {
    await command.run({ database, out: (line) => process.stdout.write(`${line}\n`) }, values as Record<string, string | boolean | undefined>);
    return 0;
  } catch (err) {
    if (err instanceof CliError || err instanceof WorkspaceNotFoundError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  } finally {
    await database.shutdown();
  }
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`cli failed: ${(err as Error).stack ?? String(err)}\n`); process.exitCode = 1; },
);
