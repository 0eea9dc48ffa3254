// Credit models on random histories (test/attribution/arbitraries.ts): for every model and every
// team set, the credits of each opportunity add up to its deltas day by day, and summed over the
// workspace to the daily series; `first` gives everything to the conversation that started it.
import fc from 'fast-check';
import { CREDIT_MODELS, creditOfResults, creditOpportunity } from '../../src/attribution/credit';
import { attribute } from '../../src/attribution/engine';
import type { OpportunityAttribution } from '../../src/attribution/result';
import { dailyTotals } from '../../src/attribution/series';
import { historyCase, TEAMS } from './arbitraries';

const RUNS = Number(process.env.FC_RUNS ?? 100);

/** Every subset of the team pool, and null for all teams. */
const TEAM_SETS: (ReadonlySet<string> | null)[] = [
  null,
  ...Array.from({ length: (1 << TEAMS.length) - 1 }, (_, m) => new Set(TEAMS.filter((_, i) => (m + 1) & (1 << i)))),
];

const daysOf = (r: OpportunityAttribution) =>
  r.days.map((d) => ({ day: d.day, pipeline: d.pipeline?.delta ?? 0n, closedWon: d.closedWon?.delta ?? 0n }));

describe('credit models on random histories', () => {
  it('add up to each opportunity’s deltas, day by day, for every model and team set', () => {
    fc.assert(
      fc.property(historyCase(), ({ history, settings }) => {
        for (const teams of TEAM_SETS) {
          for (const r of attribute(history, settings, { teams })) {
            const touches = r.touches.filter((t) => !teams || teams.has(t.teamId));
            for (const model of CREDIT_MODELS) {
              const credits = creditOpportunity(model, daysOf(r), touches);
              for (const d of daysOf(r)) {
                const mine = credits.filter((x) => x.day === d.day);
                expect({ model, day: d.day, pipeline: mine.reduce((s, x) => s + x.pipeline, 0n) }).toEqual({
                  model,
                  day: d.day,
                  pipeline: d.pipeline,
                });
                expect(mine.reduce((s, x) => s + x.closedWon, 0n)).toBe(d.closedWon);
                // Only touches made by the end of the day share it.
                for (const x of mine) expect(x.touch.day <= d.day).toBe(true);
              }
            }
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('summed over every conversation equal the workspace totals, and `first` credits only the start', () => {
    fc.assert(
      fc.property(historyCase(), ({ history, settings }) => {
        for (const teams of TEAM_SETS) {
          const results = attribute(history, settings, { teams });
          const totals = dailyTotals(results).reduce(
            (s, d) => ({ pipeline: s.pipeline + d.pipelineInfluenced, closedWon: s.closedWon + d.closedWonInfluenced }),
            { pipeline: 0n, closedWon: 0n },
          );
          for (const model of CREDIT_MODELS) {
            const credits = creditOfResults(model, results, teams);
            const sum = credits.reduce(
              (s, x) => ({ pipeline: s.pipeline + x.pipeline, closedWon: s.closedWon + x.closedWon }),
              { pipeline: 0n, closedWon: 0n },
            );
            expect({ model, ...sum }).toEqual({ model, ...totals });
            for (const x of credits) expect(teams === null || teams.has(x.teamId)).toBe(true);
          }
          for (const r of results.filter((x) => x.days.length > 0)) {
            const touches = r.touches.filter((t) => !teams || teams.has(t.teamId));
            const credited = new Set(creditOpportunity('first', daysOf(r), touches).map((x) => x.touch.conversationId));
            expect([...credited].every((id) => id === r.start!.conversationId)).toBe(true);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });
});
