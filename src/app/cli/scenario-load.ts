// npm run scenario:load -- FILE [--workspace NAME]
// Loads a scenario into the history tables and runs attribution, as later synced data will.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatCents } from '../../attribution/money';
import { ledgerKeysOf } from '../../ledger/keys';
import { recomputeDirty } from '../../ledger/recompute';
import { ledgerSeries } from '../../ledger/series';
import { isAppError } from '../../platform/errors';
import { loadScenario } from '../../scenarios/load';
import { readScenario } from '../../scenarios/read';
import { workspaceSlug } from '../../workspaces/workspaces';
import { createRoot } from '../root';

const USAGE = 'usage: npm run scenario:load -- FILE [--workspace NAME]';

async function main(argv: string[]): Promise<number> {
  const args = parseArgs({ args: argv, allowPositionals: true, options: { workspace: { type: 'string' } } });
  const [file] = args.positionals;
  if (!file || args.positionals.length > 1) {
    process.stderr.write(`give exactly one scenario file\n${USAGE}\n`);
    return 2;
  }
  const slug = args.values.workspace ?? defaultSlug(file);
  const slugCheck = workspaceSlug.safeParse(slug);
  if (!slugCheck.success) {
    process.stderr.write(`--workspace "${slug}": ${slugCheck.error.issues[0]?.message}\n`);
    return 2;
  }
  let scenario;
  try {
    scenario = await readScenario(file);
  } catch (err) {
    if (isAppError(err, 'invalid_input')) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }

  const root = createRoot({ role: 'cli', poolMax: 2, quiet: true });
  try {
    const database = await root.database();
    const workspace = await loadScenario(database.db, slug, scenario);
    const outcome = await recomputeDirty(
      {
        db: database.db,
        logger: root.logger,
        batchSize: root.config.attribution.batchSize,
        ledgerKeys: ledgerKeysOf(root.config),
      },
      workspace.id,
    );
    const daily = await ledgerSeries(database.db, workspace.id);
    process.stdout.write(
      `${JSON.stringify({
        workspace: workspace.slug,
        file,
        recomputed: outcome.opportunities,
        entriesAppended: outcome.entries,
        daily: daily.map((d) => ({
          date: d.date,
          pipelineInfluenced: formatCents(d.pipelineInfluenced),
          closedWonInfluenced: formatCents(d.closedWonInfluenced),
        })),
      })}\n`,
    );
    return 0;
  } finally {
    await root.close();
  }
}

/** "../shared/scenarios/01-seed-example.json" -> "01-seed-example" */
function defaultSlug(file: string): string {
  return path
    .basename(file, path.extname(file))
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`scenario:load failed: ${(err as Error).message}\n`);
    process.exitCode = 1;
  },
);
