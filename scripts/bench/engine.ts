// Benchmarks the attribution engine on a synthetic workspace of the size: a full rebuild,
// a full rebuild with a team filter, and the incremental recompute of 1,000 opportunities.
// usage: see USAGE; --scale shrinks every count (a quick check of the script itself).
// Prints one line per step, then one JSON line with every figure.
import { parseArgs } from 'node:util';
import { attribute } from '../../src/attribution/engine';
import type { OpportunityAttribution } from '../../src/attribution/result';
import { gcAvailable, measure, measureRepeated, perSecond, type RepeatedFigures, type StepFigures } from './measure';
import { n, printStep, sameResults, seconds, summarize, type ResultSummary } from './report';
import { FULL_SPEC, SETTINGS, scaledSpec, type WorkspaceSpec } from './spec';
import { HistoryIndex } from './sub-history';
import { applyIncrementalUpdate, type IncrementalUpdate } from './updates';
import { countHistory, generateWorkspace, linkedChatShare, type HistoryCounts, type Workspace } from './workspace';

const FILTER_TEAMS = ['enterprise', 'emea'];
/** Runs of each incremental step; the median is reported. */
const REPEATS = 5;
/** The comparison run over the whole history takes seconds: fewer runs. */
const FULL_HISTORY_REPEATS = 3;

const USAGE = 'usage: npm run bench:engine [-- --scale 0.1] [--seed N] [--incremental 1000]';

/** A bad command line: reported with the usage, not as a crash. */
class UsageError extends Error {}

interface Options {
  spec: WorkspaceSpec;
  incremental: number;
}

function parseOptions(argv: string[]): Options {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { scale: { type: 'string' }, seed: { type: 'string' }, incremental: { type: 'string' } },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const scale = Number(values.scale ?? 1);
  const seed = Number(values.seed ?? FULL_SPEC.seed);
  const incremental = Number(values.incremental ?? 1000);
  if (!(scale > 0) || !Number.isInteger(seed) || !Number.isInteger(incremental) || incremental < 1) {
    throw new UsageError('--scale must be a positive number, --seed and --incremental integers (--incremental ≥ 1)');
  }
  return { spec: scaledSpec(scale, seed), incremental };
}

interface GenerateFigures {
  counts: HistoryCounts;
  figures: StepFigures;
  linkedChatShare: number;
}

function benchGenerate(spec: WorkspaceSpec): { ws: Workspace; generate: GenerateFigures } {
  const { result: ws, figures } = measure(() => generateWorkspace(spec));
  const counts = countHistory(ws.history);
  const share = linkedChatShare(ws);
  printStep('generate workspace', figures, [
    `${n(counts.events)} events: ${n(counts.opportunityVersions)} opportunity, ${n(counts.contactRoleVersions)} role,` +
      ` ${n(counts.contactVersions)} contact, ${n(counts.leadVersions)} lead versions; ${n(counts.chats)} chats`,
    `${(share * 100).toFixed(1)}% of chats carry a linkable email`,
  ]);
  return { ws, generate: { counts, figures, linkedChatShare: share } };
}

interface RunFigures extends ResultSummary {
  events: number;
  eventsPerSecond: number;
  figures: StepFigures;
}

function reportRun(label: string, events: number, results: OpportunityAttribution[], figures: StepFigures): RunFigures {
  const summary = summarize(results);
  const eventsPerSecond = perSecond(events, figures.ms);
  printStep(label, figures, [
    ...repeatedNote(figures),
    `${n(eventsPerSecond)} events/s over ${n(events)}`,
    `${n(summary.influenced)} of ${n(summary.opportunities)} opportunities influenced`,
    `${n(summary.dailyDeltas)} daily deltas (${n(summary.measureDeltas)} measure deltas)`,
  ]);
  return { ...summary, events, eventsPerSecond, figures };
}

/** A run whose results are only summarized, so they are garbage before the next step. */
function benchRun(label: string, events: number, run: () => OpportunityAttribution[]): RunFigures {
  const { result, figures } = measure(run);
  return reportRun(label, events, result, figures);
}

/** "median of 5, first 161 ms" for a repeated step, nothing for a single run. */
function repeatedNote(figures: StepFigures | RepeatedFigures): string[] {
  return 'firstMs' in figures ? [`median of ${figures.runsMs.length}, first ${seconds(figures.firstMs)}`] : [];
}

interface IncrementalFigures {
  update: IncrementalUpdate['added'] & { opportunities: number };
  index: StepFigures;
  extract: RepeatedFigures & { subHistory: HistoryCounts };
  engine: RunFigures;
  fullHistoryWithIds: RunFigures;
  sameAsFullHistory: boolean;
}

function benchIncremental(ws: Workspace, count: number): IncrementalFigures {
  const { opportunityIds: ids, added } = applyIncrementalUpdate(ws, count);
  console.log(
    `incremental update of ${n(ids.length)} opportunities: +${n(added.opportunityVersions)} opportunity versions` +
      ` on the last day, +${n(added.chats)} late chats, +${n(added.contactRoles)} late roles`,
  );
  const allEvents = countHistory(ws.history).events;

  const index = measure(() => new HistoryIndex(ws.history));
  printStep('  build indexes (once)', index.figures, [`over ${n(allEvents)} events`]);
  const extract = measureRepeated(() => index.result.subHistory(ids), REPEATS);
  const sub = countHistory(extract.result);
  printStep('  extract sub-history', extract.figures, [
    ...repeatedNote(extract.figures),
    `${n(sub.events)} events: ${n(sub.opportunityVersions)} opportunity, ${n(sub.contactRoleVersions)} role,` +
      ` ${n(sub.contactVersions)} contact, ${n(sub.leadVersions)} lead versions; ${n(sub.chats)} chats`,
  ]);

  const onSub = measureRepeated(() => attribute(extract.result, SETTINGS, { opportunityIds: ids }), REPEATS);
  const engine = reportRun('  engine on sub-history', sub.events, onSub.result, onSub.figures);
  const onFull = measureRepeated(() => attribute(ws.history, SETTINGS, { opportunityIds: ids }), FULL_HISTORY_REPEATS);
  const fullHistoryWithIds = reportRun('  engine on full history + ids', allEvents, onFull.result, onFull.figures);
  const same = sameResults(onSub.result, onFull.result);
  console.log(`  sub-history results identical to full-history results: ${same ? 'yes' : 'NO'}`);
  return {
    update: { opportunities: ids.length, ...added },
    index: index.figures,
    extract: { ...extract.figures, subHistory: sub },
    engine,
    fullHistoryWithIds,
    sameAsFullHistory: same,
  };
}

function main(): void {
  const { spec, incremental } = parseOptions(process.argv.slice(2));
  console.log(
    `engine benchmark: node ${process.version}, ${SETTINGS.timeZone}, window ${SETTINGS.attributionWindowDays} days,` +
      ` seed ${spec.seed}, gc ${gcAvailable ? 'exposed' : 'not exposed (run with node --expose-gc for heap growth)'}`,
  );
  const { ws, generate } = benchGenerate(spec);
  const events = generate.counts.events;
  const fullRebuild = benchRun('full rebuild', events, () => attribute(ws.history, SETTINGS));
  const teams = new Set(FILTER_TEAMS);
  const teamFilter = benchRun(`full rebuild, teams ${FILTER_TEAMS.join('+')}`, events, () =>
    attribute(ws.history, SETTINGS, { teams }),
  );
  const incrementalFigures = benchIncremental(ws, incremental);
  console.log(
    JSON.stringify({
      bench: 'engine',
      node: process.version,
      gcExposed: gcAvailable,
      settings: SETTINGS,
      spec,
      generate,
      fullRebuild,
      teamFilter: { teams: FILTER_TEAMS, ...teamFilter },
      incremental: incrementalFigures,
    }),
  );
}

try {
  main();
} catch (err) {
  if (!(err instanceof UsageError)) throw err;
  process.stderr.write(`${err.message}\n${USAGE}\n`);
  process.exitCode = 2;
}
