// What the benchmark prints: one human-readable line per step, figures kept for the final JSON line.
import type { OpportunityAttribution } from '../../src/attribution/result';
import type { StepFigures } from './measure';

export interface ResultSummary {
  opportunities: number;
  influenced: number;
  /** Opportunity-days with a non-zero delta (DailyDelta entries). */
  dailyDeltas: number;
  /** Ledger entries those days become: one per measure that moved. */
  measureDeltas: number;
}

export function summarize(results: OpportunityAttribution[]): ResultSummary {
  const summary: ResultSummary = { opportunities: results.length, influenced: 0, dailyDeltas: 0, measureDeltas: 0 };
  for (const r of results) {
    if (r.start) summary.influenced++;
    summary.dailyDeltas += r.days.length;
    for (const d of r.days) summary.measureDeltas += (d.pipeline ? 1 : 0) + (d.closedWon ? 1 : 0);
  }
  return summary;
}

/** Whether two runs attribute the same opportunities identically, to the last cause. */
export function sameResults(a: OpportunityAttribution[], b: OpportunityAttribution[]): boolean {
  const text = (r: OpportunityAttribution[]) =>
    JSON.stringify(r, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
  return text(a) === text(b);
}

const count = new Intl.NumberFormat('en-US');

export function n(x: number): string {
  return count.format(x);
}

export function seconds(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
}

export function memory(f: StepFigures): string {
  const gc = f.heapGrowthMB === null ? '' : `, growth ${n(f.heapGrowthMB)} MB, retained ${n(f.retainedMB ?? 0)} MB`;
  return `heap ${n(f.heapUsedAfterMB)} MB after${gc}; maxRSS ${n(f.maxRssMB)} MB`;
}

export function printStep(label: string, f: StepFigures, details: string[]): void {
  console.log(`${label.padEnd(34)} ${seconds(f.ms).padStart(10)}  ${details.join(', ')}`);
  console.log(`${''.padEnd(34)} ${''.padStart(10)}  ${memory(f)}`);
}
