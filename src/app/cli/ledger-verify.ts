// npm run ledger:verify -- --workspace NAME [--anchor] [--anchor-file PATH] [--expect-anchor SEQ:HASH] [--seal]
// Checks the hash chain (every column, under the ledger keys), that it passes through an anchor
// published earlier, and that the ledger equals a fresh replay; exit 1 on any difference.
// --anchor prints the chain's head as SEQ:HASH, to publish where the database cannot change it
// (--anchor-file appends it to a file of the operator's choosing).
import { appendFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEVELOPMENT_KEY_WARNING, ledgerKeysOf } from '../../ledger/keys';
import { sealLegacyEntries } from '../../ledger/seal';
import { formatAnchor, parseAnchor, verifyLedger } from '../../ledger/verify';
import { findWorkspaceBySlug } from '../../workspaces/workspaces';
import { createRoot } from '../root';

const USAGE =
  'usage: npm run ledger:verify -- --workspace NAME [--anchor] [--anchor-file PATH] [--expect-anchor SEQ:HASH] [--seal]\n';
const UNSEALED = /not sealed, so a database superuser could rewrite them/;

async function main(argv: string[]): Promise<number> {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      workspace: { type: 'string' },
      anchor: { type: 'boolean' },
      'anchor-file': { type: 'string' },
      'expect-anchor': { type: 'string' },
      seal: { type: 'boolean' },
    },
  });
  if (!v.workspace) {
    process.stderr.write(USAGE);
    return 2;
  }
  const expectAnchor = v['expect-anchor'] === undefined ? null : parseAnchor(v['expect-anchor']);
  if (v['expect-anchor'] !== undefined && !expectAnchor) {
    process.stderr.write(`--expect-anchor: expected SEQ:HASH as --anchor prints it\n${USAGE}`);
    return 2;
  }
  const root = createRoot({ role: 'cli', poolMax: 2, quiet: true });
  try {
    const keys = ledgerKeysOf(root.config);
    if (keys.development) process.stderr.write(`note: ${DEVELOPMENT_KEY_WARNING}\n`);
    const database = await root.database();
    const workspace = await findWorkspaceBySlug(database.db, v.workspace);
    if (!workspace) {
      process.stderr.write(`no workspace named "${v.workspace}"\n`);
      return 2;
    }
    let report = await verifyLedger(database, workspace, { keys, expectAnchor });
    // Sealing vouches for the plain SHA-256 entries: only when being unsealed is their only problem.
    if (v.seal && report.problems.length > 0 && report.problems.every((p) => UNSEALED.test(p))) {
      const sealed = await sealLegacyEntries(database, workspace.id, keys);
      if (sealed) process.stdout.write(`sealed the plain SHA-256 entries up to ${formatAnchor(sealed)}\n`);
      report = await verifyLedger(database, workspace, { keys, expectAnchor });
    }
    if (report.problems.length > 0) {
      process.stdout.write(`ledger of "${report.workspace}" has ${report.problems.length} problem(s):\n`);
      for (const p of report.problems) process.stdout.write(`  - ${p}\n`);
      if (v.anchor || v['anchor-file']) process.stdout.write('no anchor given: the ledger did not verify\n');
      return 1;
    }
    process.stdout.write(
      `ledger of "${report.workspace}" verified: ${report.entries} entries, hash chain intact${expectAnchor ? ` through anchor ${expectAnchor.seq}` : ''}, sums equal a fresh replay of ${report.opportunities} opportunities\n`,
    );
    if (v.anchor || v['anchor-file']) {
      const anchor = formatAnchor(report.head);
      process.stdout.write(`anchor ${anchor}\n`);
      if (v['anchor-file'])
        appendFileSync(
          v['anchor-file'],
          `${JSON.stringify({ workspace: report.workspace, anchor, at: new Date().toISOString() })}\n`,
        );
    }
    return 0;
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
