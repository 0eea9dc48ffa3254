import { opportunityChanges, type OpportunityVersionFacts } from '../../src/reporting/account-timeline-events';

const v = (at: number, fields: Partial<OpportunityVersionFacts> = {}): OpportunityVersionFacts => ({
  at,
  deleted: false,
  amount: '100000.00',
  stageName: 'Prospecting',
  isClosed: false,
  isWon: false,
  createdAt: null,
  ...fields,
});

describe('opportunityChanges', () => {
  it('tells the seed story once: $100k → $120k → $150k won, the repeated snapshot adding nothing', () => {
    const won = { amount: '150000.00', stageName: 'Closed Won', isClosed: true, isWon: true };
    expect(
      opportunityChanges([
        v(1, { createdAt: 1 }),
        v(2, { amount: '120000.00', stageName: 'Negotiation/Review' }),
        v(3, won),
        v(4, won), // the Opportunity snapshot of the OpportunityHistory row before it
      ]),
    ).toEqual([
      { kind: 'opportunity_created', at: 1, amount: '100000.00', stage: 'Prospecting' },
      { kind: 'amount_changed', at: 2, from: '100000.00', to: '120000.00' },
      { kind: 'stage_changed', at: 2, from: 'Prospecting', to: 'Negotiation/Review' },
      { kind: 'amount_changed', at: 3, from: '120000.00', to: '150000.00' },
      { kind: 'stage_changed', at: 3, from: 'Negotiation/Review', to: 'Closed Won' },
      { kind: 'opportunity_closed', at: 3, won: true, amount: '150000.00' },
    ]);
  });

  it('dates creation at CreatedDate, and tells deletion, restoring and reopening', () => {
    expect(
      opportunityChanges([
        v(5, { createdAt: 2, isClosed: true, stageName: 'Closed Lost' }),
        v(6, { deleted: true, isClosed: true, stageName: 'Closed Lost' }),
        v(7, { isClosed: true, stageName: 'Closed Lost' }),
        v(8),
      ]).map((c) => [c.kind, c.at]),
    ).toEqual([
      ['opportunity_created', 2],
      ['opportunity_closed', 5],
      ['opportunity_deleted', 6],
      ['opportunity_restored', 7],
      ['stage_changed', 8],
      ['opportunity_reopened', 8],
    ]);
  });

  it('says nothing of an opportunity only ever seen deleted', () => {
    expect(opportunityChanges([v(1, { deleted: true })])).toEqual([]);
  });
});
