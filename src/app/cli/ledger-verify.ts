// npm run ledger:verify -- --workspace NAME
// Checks the hash chain and that the ledger equals a fresh replay; exit 1 on any difference.
import { parseArgs } from 'node:util';
import { verifyLedger } from '../../ledger/verify';
import { findWorkspaceBySlug } from '../../workspaces/workspaces';
import { createRoot } from '../root';

async function main(argv: string[]): Promise<number> {
  const args = parseArgs({ args: argv, options: { workspace: { type: 'string' } } });
  if (!args.values.workspace) {
    process.stderr.write('usage: npm run ledger:verify -- --workspace NAME\n');
    return 2;
  }
  const root = createRoot({ role: 'cli', poolMax: 2, quiet: true });
  try {
    const database = await root.database();
    const workspace = await findWorkspaceBySlug(database.db, args.values.workspace);
    if (!workspace) {
      process.stderr.write(`no workspace named "${args.values.workspace}"\n`);
      return 2;
    }
    const report = await verifyLedger(database, workspace);
    if (report.problems.length === 0) {
      process.stdout.write(
        `ledger of "${report.workspace}" verified: ${report.entries} entries, hash chain intact, sums equal a fresh replay of ${report.opportunities} opportunities\n`,
      );
      return 0;
    }
    process.stdout.write(`ledger of "${report.workspace}" has ${report.problems.length} problem(s):\n`);
    for (const p of report.problems) process.stdout.write(`  - ${p}\n`);
    return 1;
  } finally {
    await root.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`ledger:verify failed: ${(err as Error).message}\n`);
    process.exitCode = 1;
  },
);
