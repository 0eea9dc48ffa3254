// Sums per-opportunity deltas into the workspace's daily series (rule 7: per opportunity, once).
import type { Cents } from './money';
import type { DailyTotal, OpportunityAttribution } from './result';

export function dailyTotals(results: OpportunityAttribution[]): DailyTotal[] {
  const byDay = new Map<string, { pipeline: Cents; closedWon: Cents }>();
  for (const r of results) {
    for (const d of r.days) {
      const t = byDay.get(d.day) ?? { pipeline: 0n, closedWon: 0n };
      t.pipeline += d.pipeline?.delta ?? 0n;
      t.closedWon += d.closedWon?.delta ?? 0n;
      byDay.set(d.day, t);
    }
  }
  return [...byDay.entries()]
    .filter(([, t]) => t.pipeline !== 0n || t.closedWon !== 0n)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([date, t]) => ({ date, pipelineInfluenced: t.pipeline, closedWonInfluenced: t.closedWon }));
}
