// Properties of the engine over random histories (test/attribution/arbitraries.ts): it agrees
// with a naive reading of the rules, its sums are consistent, input order and duplicates do not
// matter, incremental recompute equals full recompute, and team sets derive from all teams.
import fc from 'fast-check';
import { attribute } from '../../src/attribution/engine';
import type { Cents } from '../../src/attribution/money';
import type { DailyDelta, OpportunityAttribution, Touch } from '../../src/attribution/result';
import { dailyTotals } from '../../src/attribution/series';
import { historyCase, OPPORTUNITY_IDS, TEAMS } from './arbitraries';
import {
  affectedOpportunities,
  closureOf,
  eventsOf,
  historyOf,
  shuffleHistory,
  withDuplicateChat,
  withDuplicateRole,
} from './history-ops';
import { referenceAttribution } from './reference-model';

// FC_RUNS=5000 for a longer soak; the default keeps the file well under 20 s.
const RUNS = Number(process.env.FC_RUNS ?? 250);
const check = <Ts>(property: fc.IProperty<Ts>) => fc.assert(property, { numRuns: RUNS });

/** Every subset of the team pool, the empty one included. */
const TEAM_SETS: ReadonlySet<string>[] = Array.from(
  { length: 1 << TEAMS.length },
  (_, mask) => new Set(TEAMS.filter((_, i) => mask & (1 << i))),
);
const teamFilterArb = fc.option(fc.constantFrom(...TEAM_SETS), { freq: 2 });

/** What an opportunity's series says, without the causes and reasons. */
const numbers = (days: DailyDelta[]) =>
  days.map((d) => ({ day: d.day, pipeline: d.pipeline?.delta ?? 0n, closedWon: d.closedWon?.delta ?? 0n }));

const byId = (results: OpportunityAttribution[]) => new Map(results.map((r) => [r.opportunityId, r]));

/** Running totals at the end of a day, from an opportunity's deltas. */
function totalAt(days: DailyDelta[], day: string): { pipeline: Cents; closedWon: Cents } {
  let pipeline = 0n;
  let closedWon = 0n;
  for (const d of days) {
    if (d.day > day) break;
    pipeline += d.pipeline?.delta ?? 0n;
    closedWon += d.closedWon?.delta ?? 0n;
  }
  return { pipeline, closedWon };
}

function earliest(touches: Touch[]): Touch | null {
  let best: Touch | null = null;
  for (const t of touches) {
    const before =
      !best ||
      t.at < best.at ||
      (t.at === best.at &&
        (t.conversationId < best.conversationId ||
          (t.conversationId === best.conversationId && t.contactRoleId < best.contactRoleId)));
    if (before) best = t;
  }
  return best;
}

describe('the attribution engine on random histories', () => {
  it('agrees with a direct reading of the rules on every opportunity, for any team filter', () => {
    check(
      fc.property(historyCase(), teamFilterArb, ({ history, settings }, teams) => {
        const key = (t: Touch) => ({ at: t.at, conversationId: t.conversationId, contactRoleId: t.contactRoleId });
        const actual = attribute(history, settings, { teams }).map((r) => ({
          opportunityId: r.opportunityId,
          start: r.start && key(r.start),
          touches: r.touches.map(key),
          days: r.days.map((d) => ({
            day: d.day,
            pipeline: d.pipeline?.delta ?? 0n,
            closedWon: d.closedWon?.delta ?? 0n,
            pipelineReason: d.pipeline?.reason ?? null,
            closedWonReason: d.closedWon?.reason ?? null,
          })),
        }));
        expect(actual).toEqual(referenceAttribution(history, settings, teams));
      }),
    );
  });

  it('adds the deltas of each opportunity up to the value of its last version, every total being the running sum so far', () => {
    check(
      fc.property(historyCase(), ({ history, settings }) => {
        for (const r of attribute(history, settings)) {
          if (!r.start) {
            expect(r.days).toEqual([]);
            continue;
          }
          let pipeline = 0n;
          let closedWon = 0n;
          let previousDay = '';
          for (const d of r.days) {
            expect(d.day > previousDay && d.day >= r.start.day).toBe(true);
            expect(d.pipeline ?? d.closedWon).not.toBeNull();
            pipeline += d.pipeline?.delta ?? 0n;
            closedWon += d.closedWon?.delta ?? 0n;
            if (d.pipeline) expect(d.pipeline.total).toBe(pipeline);
            if (d.closedWon) expect(d.closedWon.total).toBe(closedWon);
            previousDay = d.day;
          }
          const versions = history.opportunities.filter((v) => v.opportunityId === r.opportunityId);
          const last = versions.sort((a, b) => a.at - b.at || a.seq - b.seq).pop()!;
          const amount = last.deleted ? 0n : (last.amount ?? 0n);
          expect({ pipeline, closedWon }).toEqual({
            pipeline: amount,
            closedWon: last.isWon && !last.deleted ? amount : 0n,
          });
          const lastPipeline = r.days.filter((d) => d.pipeline).pop()?.pipeline?.total ?? 0n;
          const lastClosedWon = r.days.filter((d) => d.closedWon).pop()?.closedWon?.total ?? 0n;
          expect({ pipeline: lastPipeline, closedWon: lastClosedWon }).toEqual({ pipeline, closedWon });
        }
      }),
    );
  });

  it('gives deep-equal results whatever the order of the history arrays, when all instants are distinct', () => {
    check(
      fc.property(
        historyCase({ distinctInstants: true }),
        fc.integer(),
        teamFilterArb,
        ({ history, settings }, seed, teams) => {
          expect(attribute(shuffleHistory(history, seed), settings, { teams })).toEqual(
            attribute(history, settings, { teams }),
          );
        },
      ),
    );
  });

  it('gives deep-equal results whatever the order of the history arrays, even when instants tie', () => {
    check(
      fc.property(historyCase(), fc.integer(), teamFilterArb, ({ history, settings }, seed, teams) => {
        expect(attribute(shuffleHistory(history, seed), settings, { teams })).toEqual(
          attribute(history, settings, { teams }),
        );
      }),
    );
  });

  it('recomputes only the opportunities late events affect and, merged with the earlier results, equals a full recompute', () => {
    const caseWithLateEvents = historyCase().chain((c) => {
      const n = eventsOf(c.history).length;
      return fc.tuple(fc.constant(c), fc.array(fc.boolean(), { minLength: n, maxLength: n }), teamFilterArb);
    });
    check(
      fc.property(caseWithLateEvents, ([{ history, settings }, lateFlags, teams]) => {
        const events = eventsOf(history);
        const late = events.filter((_, i) => lateFlags[i]);
        const before = historyOf(events.filter((_, i) => !lateFlags[i]));
        const affected = affectedOpportunities(history, late);

        const merged = byId(attribute(before, settings, { teams }));
        for (const id of affected) merged.delete(id);
        for (const r of attribute(history, settings, { teams, opportunityIds: affected }))
          merged.set(r.opportunityId, r);
        const incremental = [...merged.values()].sort((a, b) => (a.opportunityId < b.opportunityId ? -1 : 1));
        expect(incremental).toEqual(attribute(history, settings, { teams }));
      }),
    );
  });

  it('needs, for some opportunities, only the closure of their history that the worker loads', () => {
    check(
      fc.property(historyCase(), fc.subarray(OPPORTUNITY_IDS), teamFilterArb, ({ history, settings }, ids, teams) => {
        const wanted = new Set(ids);
        const full = attribute(history, settings, { teams }).filter((r) => wanted.has(r.opportunityId));
        expect(attribute(closureOf(history, wanted), settings, { teams, opportunityIds: wanted })).toEqual(full);
      }),
    );
  });

  it('never gives an opportunity more with a team set than with all teams: on each day, either nothing or the same', () => {
    check(
      fc.property(historyCase(), ({ history, settings }) => {
        const all = byId(attribute(history, settings));
        for (const teams of TEAM_SETS) {
          for (const r of attribute(history, settings, { teams })) {
            const allDays = all.get(r.opportunityId)!.days;
            for (const day of new Set([...r.days, ...allDays].map((d) => d.day))) {
              const some = totalAt(r.days, day);
              const every = totalAt(allDays, day);
              expect(some.pipeline <= every.pipeline && some.closedWon <= every.closedWon).toBe(true);
              expect(some.pipeline === 0n && some.closedWon === 0n ? null : some).toEqual(
                some.pipeline === 0n && some.closedWon === 0n ? null : every,
              );
            }
          }
        }
      }),
    );
  });

  it('never changes a daily total when a chat is duplicated under a new id or a contact gets a second role', () => {
    const withDuplicates = historyCase()
      .filter(({ history }) => history.chats.length > 0 && history.contactRoles.length > 0)
      .chain((c) =>
        fc.tuple(
          fc.constant(c),
          fc.constantFrom(...c.history.chats),
          fc.constantFrom('c0', 'c9'), // sorts before or after every generated conversation id
          fc.constantFrom(...new Set(c.history.contactRoles.map((v) => v.contactRoleId))),
          fc.constantFrom('R0', 'R9'),
          teamFilterArb,
        ),
      );
    check(
      fc.property(withDuplicates, ([{ history, settings }, chat, chatId, roleId, newRoleId, teams]) => {
        const expected = attribute(history, settings, { teams });
        const variants = [
          withDuplicateChat(history, chat, chatId),
          withDuplicateRole(history, roleId, newRoleId),
          withDuplicateRole(withDuplicateChat(history, chat, chatId), roleId, newRoleId),
        ];
        for (const variant of variants) {
          const actual = attribute(variant, settings, { teams });
          expect(dailyTotals(actual)).toEqual(dailyTotals(expected));
          expect(actual.map((r) => [r.opportunityId, r.start?.at, numbers(r.days)])).toEqual(
            expected.map((r) => [r.opportunityId, r.start?.at, numbers(r.days)]),
          );
        }
      }),
    );
  });

  it("derives the series of any team set from the all-teams series collapsed onto that set's start day", () => {
    check(
      fc.property(historyCase(), ({ history, settings }) => {
        const all = attribute(history, settings);
        for (const teams of TEAM_SETS) {
          const filtered = byId(attribute(history, settings, { teams }));
          for (const r of all) {
            const start = earliest(r.teamStarts.filter((t) => teams.has(t.teamId)));
            const f = filtered.get(r.opportunityId)!;
            expect(f.teamStarts).toEqual(r.teamStarts);
            expect(f.start).toEqual(start);
            expect(numbers(f.days)).toEqual(start ? collapse(numbers(r.days), start.day) : []);
          }
        }
      }),
    );
  });
});

/** Entries dated before the start day summed onto it (dropped if both sums are 0), later ones kept. */
function collapse(days: ReturnType<typeof numbers>, startDay: string): ReturnType<typeof numbers> {
  const early = days.filter((d) => d.day <= startDay);
  const onStart = {
    day: startDay,
    pipeline: early.reduce((s, d) => s + d.pipeline, 0n),
    closedWon: early.reduce((s, d) => s + d.closedWon, 0n),
  };
  const kept = days.filter((d) => d.day > startDay);
  return onStart.pipeline === 0n && onStart.closedWon === 0n ? kept : [onStart, ...kept];
}
