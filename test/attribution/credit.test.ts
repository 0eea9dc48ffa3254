// Credit models (ATTRIBUTION.md "Credit models (v1.1)") on cases small enough to check by hand:
// the weights of each model, the exact-cent rule with its tie-break, negative deltas, and which
// touches are eligible on which day.
import { attribute } from '../../src/attribution/engine';
import {
  creditOfResults,
  creditOpportunity,
  creditWeights,
  splitCents,
  type CreditModel,
  type CreditTouch,
} from '../../src/attribution/credit';
import { formatCents, parseCents } from '../../src/attribution/money';
import { HistoryBuilder } from './history-builder';

const c = (amount: string) => parseCents(amount);
const shown = (cents: bigint[]) => cents.map(formatCents);
const touch = (conversationId: string, at: string): CreditTouch => ({
  conversationId,
  at: Date.parse(at),
  day: at.slice(0, 10),
});

describe('splitting a delta into exact cents', () => {
  it('rounds each share toward zero and gives the left-over cents to the largest fractions, earlier first on ties', () => {
    // 100.00 / 3 = 33.333…: three 33.33 leave one cent, and all three fractions tie: the first gets it.
    expect(shown(splitCents(c('100.00'), [1n, 1n, 1n]))).toEqual(['33.34', '33.33', '33.33']);
    // 6/15, 1/15 ×3, 6/15 of 100.00: 40.00, 6.666… ×3, 40.00: two cents go to the first two middle touches.
    expect(shown(splitCents(c('100.00'), [6n, 1n, 1n, 1n, 6n]))).toEqual(['40.00', '6.67', '6.67', '6.66', '40.00']);
  });

  it('splits a negative delta the same way, toward zero', () => {
    expect(shown(splitCents(c('-100.00'), [1n, 1n, 1n]))).toEqual(['-33.34', '-33.33', '-33.33']);
    expect(shown(splitCents(c('-0.01'), [1n, 1n]))).toEqual(['-0.01', '0.00']);
  });

  it('gives a cent to the larger fraction even when it belongs to a later touch', () => {
    // 1/3 and 2/3 of 100.00: 33.333… and 66.666…; the cent goes to the second (.666 > .333).
    expect(shown(splitCents(c('100.00'), [1n, 2n]))).toEqual(['33.33', '66.67']);
  });

  it('always adds up to the delta', () => {
    for (const delta of ['0.01', '0.02', '999999999.99', '-12345.67', '0.00'])
      for (const weights of [[1n], [3n, 7n], [1n, 1n, 1n, 1n, 1n, 1n, 1n], [2n ** 53n, 1n, 2n ** 52n]]) {
        const shares = splitCents(c(delta), weights);
        expect(formatCents(shares.reduce((s, x) => s + x, 0n))).toBe(delta);
      }
  });
});

describe('the weights of each model', () => {
  const three = [
    touch('a', '2026-03-01T10:00:00Z'),
    touch('b', '2026-03-08T10:00:00Z'),
    touch('c', '2026-03-15T10:00:00Z'),
  ];
  const split = (model: CreditModel, amount: string, touches = three) =>
    shown(splitCents(c(amount), creditWeights(model, touches)));

  it('first and last give everything to one end', () => {
    expect(split('first', '300.00')).toEqual(['300.00', '0.00', '0.00']);
    expect(split('last', '300.00')).toEqual(['0.00', '0.00', '300.00']);
  });

  it('linear gives equal shares', () => {
    expect(split('linear', '300.00')).toEqual(['100.00', '100.00', '100.00']);
  });

  it('u_shaped gives 40% to each end and shares 20% among the others; one touch 100%, two 50/50', () => {
    expect(split('u_shaped', '1000.00')).toEqual(['400.00', '200.00', '400.00']);
    const four = [...three, touch('d', '2026-03-16T10:00:00Z')];
    expect(split('u_shaped', '1000.00', four)).toEqual(['400.00', '100.00', '100.00', '400.00']);
    expect(split('u_shaped', '1000.00', three.slice(0, 2))).toEqual(['500.00', '500.00']);
    expect(split('u_shaped', '1000.00', three.slice(0, 1))).toEqual(['1000.00']);
  });

  it('time_decay halves a touch’s weight for every 7 days before the latest one', () => {
    // Weights 1/4, 1/2, 1 of 7/4: 700.00 splits into 100.00, 200.00, 400.00 exactly.
    expect(split('time_decay', '700.00')).toEqual(['100.00', '200.00', '400.00']);
    // Two touches 7 days apart, 100.00: 33.333… and 66.666…, the cent to the later one.
    expect(split('time_decay', '100.00', three.slice(0, 2))).toEqual(['33.33', '66.67']);
  });

  it('time_decay weighs fractions of a half-life: 2 days earlier is 2^(-2/7) ≈ 0.8203', () => {
    // 20,000.00 × 0.820335356 / 1.820335356 = 9,013.0134…; the other 10,986.9865… takes the cent.
    const two = [touch('a', '2026-03-01T10:00:00Z'), touch('b', '2026-03-03T10:00:00Z')];
    expect(split('time_decay', '20000.00', two)).toEqual(['9013.01', '10986.99']);
  });

  it('refuses a delta with no eligible touch (the edges must never ask for one)', () => {
    expect(() => creditWeights('linear', [])).toThrow(RangeError);
  });
});

describe('crediting one opportunity day by day', () => {
  // Chats a (day 1) and b (day 3); the deltas of the seed example: +100k on day 2, +20k on day 3,
  // +30k and +150k closed-won on day 4.
  const touches = [touch('b', '2026-03-03T09:00:00Z'), touch('a', '2026-03-01T10:00:00Z')];
  const days = [
    { day: '2026-03-02', pipeline: c('100000.00'), closedWon: 0n },
    { day: '2026-03-03', pipeline: c('20000.00'), closedWon: 0n },
    { day: '2026-03-04', pipeline: c('30000.00'), closedWon: c('150000.00') },
  ];
  const table = (model: CreditModel) =>
    creditOpportunity(model, days, touches).map(
      (x) => `${x.day} ${x.touch.conversationId} ${formatCents(x.pipeline)} ${formatCents(x.closedWon)}`,
    );

  it('splits each day among the touches made by its end, in touch order', () => {
    expect(table('linear')).toEqual([
      '2026-03-02 a 100000.00 0.00',
      '2026-03-03 a 10000.00 0.00',
      '2026-03-03 b 10000.00 0.00',
      '2026-03-04 a 15000.00 75000.00',
      '2026-03-04 b 15000.00 75000.00',
    ]);
    expect(table('first')).toEqual([
      '2026-03-02 a 100000.00 0.00',
      '2026-03-03 a 20000.00 0.00',
      '2026-03-04 a 30000.00 150000.00',
    ]);
    expect(table('last')).toEqual([
      '2026-03-02 a 100000.00 0.00',
      '2026-03-03 b 20000.00 0.00',
      '2026-03-04 b 30000.00 150000.00',
    ]);
  });

  it('orders touches at the same instant by conversation id', () => {
    const tied = [touch('z', '2026-03-01T10:00:00Z'), touch('m', '2026-03-01T10:00:00Z')];
    const credits = creditOpportunity('first', [days[0]!], tied);
    expect(credits.map((x) => x.touch.conversationId)).toEqual(['m']);
  });
});

describe('credit over an engine run', () => {
  // Ana (sales, agent-1) chats on day 1; Ben (support, agent-9) on day 4; the $100k opportunity
  // opens on day 2 and is won at $120k on day 5.
  const history = () =>
    new HistoryBuilder()
      .contact('K1', '2026-06-01T08:00:00Z', 'ana@wayne.example')
      .contact('K2', '2026-06-01T08:00:00Z', 'ben@wayne.example')
      .chat('conv-1', '2026-06-01T09:00:00Z', ['ana@wayne.example'], 'sales')
      .opportunity('O1', '2026-06-02T09:00:00Z', { amount: '100000' })
      .role('R1', '2026-06-02T09:00:00Z', 'O1', 'K1')
      .role('R2', '2026-06-02T09:00:00Z', 'O1', 'K2')
      .chat('conv-2', '2026-06-04T09:00:00Z', ['ben@wayne.example'], 'support')
      .opportunity('O1', '2026-06-05T09:00:00Z', { amount: '120000', stage: 'won' });
  const settings = { timeZone: 'UTC', attributionWindowDays: 90 };
  const credits = (model: CreditModel, teams: Set<string> | null = null) =>
    creditOfResults(model, attribute(history().history, settings, { teams }), teams).map(
      (x) => `${x.conversationId} ${x.teamId} ${formatCents(x.pipeline)} ${formatCents(x.closedWon)}`,
    );

  it('adds up to the influence of all teams, each conversation its share', () => {
    // Day 2: +100k to conv-1 alone; day 5: +20k and +120k closed-won, split between both.
    expect(credits('linear')).toEqual(['conv-1 sales 110000.00 60000.00', 'conv-2 support 10000.00 60000.00']);
    expect(credits('u_shaped')).toEqual(['conv-1 sales 110000.00 60000.00', 'conv-2 support 10000.00 60000.00']);
    expect(credits('first')).toEqual(['conv-1 sales 120000.00 120000.00']);
  });

  it('with a team filter, credits only that team’s conversations, from its own influence start', () => {
    // Support's influence starts on day 4 with $100k; day 5 adds $20k and $120k closed-won.
    expect(credits('linear', new Set(['support']))).toEqual(['conv-2 support 120000.00 120000.00']);
  });
});
