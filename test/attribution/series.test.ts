// The workspace's daily series: per-opportunity deltas summed by day (rule 7).
import type { DailyDelta, OpportunityAttribution } from '../../src/attribution/result';
import { dailyTotals } from '../../src/attribution/series';

function day(date: string, pipeline: bigint, closedWon = 0n): DailyDelta {
  const m = (delta: bigint) => (delta === 0n ? null : { delta, total: delta, reason: 'amount_changed' as const });
  return { day: date, pipeline: m(pipeline), closedWon: m(closedWon), causes: { versions: [], conversations: [] } };
}

const opportunity = (id: string, days: DailyDelta[]): OpportunityAttribution => ({
  opportunityId: id,
  start: null,
  teamStarts: [],
  touches: [],
  days,
});

describe('dailyTotals', () => {
  it('sums the deltas of every opportunity by day, in date order', () => {
    const series = dailyTotals([
      opportunity('O2', [day('2026-03-04', 500n, 500n), day('2026-03-02', 7n)]),
      opportunity('O1', [day('2026-03-02', 10_000_000n), day('2026-03-03', 2_000_000n)]),
    ]);
    expect(series).toEqual([
      { date: '2026-03-02', pipelineInfluenced: 10_000_007n, closedWonInfluenced: 0n },
      { date: '2026-03-03', pipelineInfluenced: 2_000_000n, closedWonInfluenced: 0n },
      { date: '2026-03-04', pipelineInfluenced: 500n, closedWonInfluenced: 500n },
    ]);
  });

  it('leaves out a day whose deltas cancel across opportunities', () => {
    const series = dailyTotals([
      opportunity('O1', [day('2026-03-02', 100n), day('2026-03-05', -100n, -100n)]),
      opportunity('O2', [day('2026-03-05', 100n, 100n)]),
    ]);
    expect(series.map((d) => d.date)).toEqual(['2026-03-02']);
  });

  it('is empty when nothing is influenced', () => {
    expect(dailyTotals([opportunity('O1', [])])).toEqual([]);
  });
});
