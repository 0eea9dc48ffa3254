// Worked edge cases of ATTRIBUTION.md rules 1-7 and the engine's documented readings, with exact
// numbers. Each history is small enough to check by hand.
import { attribute, type AttributeOptions } from '../../src/attribution/engine';
import type { AttributionSettings } from '../../src/attribution/history';
import { formatCents } from '../../src/attribution/money';
import type { MeasureDelta, OpportunityAttribution } from '../../src/attribution/result';
import { HistoryBuilder } from './history-builder';

const UTC: AttributionSettings = { timeZone: 'UTC', attributionWindowDays: 90 };
const ms = (iso: string) => Date.parse(iso);

function run(
  b: HistoryBuilder,
  settings: AttributionSettings = UTC,
  options: AttributeOptions = {},
): OpportunityAttribution[] {
  return attribute(b.history, settings, options);
}

function opportunity(results: OpportunityAttribution[], id = 'O1'): OpportunityAttribution {
  const r = results.find((x) => x.opportunityId === id);
  if (!r) throw new Error(`no result for ${id}`);
  return r;
}

const signed = (c: bigint) => (c > 0n ? `+${formatCents(c)}` : formatCents(c));
const measure = (m: MeasureDelta | null) => (m ? `${signed(m.delta)} = ${formatCents(m.total)} ${m.reason}` : '-');

/** One line per day: "<day>: pipeline <delta> = <total> <reason> | closed-won …". */
function lines(r: OpportunityAttribution): string[] {
  return r.days.map((d) => `${d.day}: pipeline ${measure(d.pipeline)} | closed-won ${measure(d.closedWon)}`);
}

/** Dana, a contact who will be on opportunity O1 (opened at `at` with `amount`) through role R1. */
function dana(at = '2026-03-02T16:00:00Z', amount = '100000'): HistoryBuilder {
  return new HistoryBuilder()
    .contact('K1', '2026-03-01T09:00:00Z', 'dana@acme.example')
    .opportunity('O1', at, { amount })
    .role('R1', at, 'O1', 'K1');
}
const DANA = ['dana@acme.example'];

describe('the attribution window', () => {
  const created = '2026-04-11T10:00:00Z';
  const window30 = { timeZone: 'UTC', attributionWindowDays: 30 };
  const withChatAt = (at: string) => dana(created, '30000').chat('conv-1', at, DANA);

  it('counts a chat exactly the window before the CreatedDate', () => {
    const r = opportunity(run(withChatAt('2026-03-12T10:00:00.000Z'), window30));
    expect(r.start?.at).toBe(ms(created));
    expect(lines(r)).toEqual(['2026-04-11: pipeline +30000.00 = 30000.00 influence_started | closed-won -']);
  });

  it('ignores a chat one millisecond before the window', () => {
    const r = opportunity(run(withChatAt('2026-03-12T09:59:59.999Z'), window30));
    expect(r).toMatchObject({ opportunityId: 'O1', start: null, teamStarts: [], touches: [], days: [] });
  });

  it('measures the window in days of 86,400 s, also across a DST change', () => {
    const ny1 = { timeZone: 'America/New_York', attributionWindowDays: 1 };
    const at = '2026-03-08T17:00:00Z'; // 13:00 EDT, the day New York springs forward
    const story = (chatAt: string) => dana(at, '30000').chat('conv-1', chatAt, DANA);
    expect(opportunity(run(story('2026-03-07T17:00:00Z'), ny1)).start?.day).toBe('2026-03-08');
    expect(opportunity(run(story('2026-03-07T16:59:59.999Z'), ny1)).start).toBeNull();
  });

  it('with a window of 0 days counts a chat at the CreatedDate and not one a millisecond before', () => {
    const zero = { timeZone: 'UTC', attributionWindowDays: 0 };
    expect(opportunity(run(withChatAt(created), zero)).start?.at).toBe(ms(created));
    expect(opportunity(run(withChatAt('2026-04-11T09:59:59.999Z'), zero)).start).toBeNull();
  });
});

describe('chats while the opportunity is closed', () => {
  const closedThenReopened = () =>
    dana('2026-04-01T10:00:00Z', '50000')
      .opportunity('O1', '2026-04-02T10:00:00Z', { amount: '50000', stage: 'lost' })
      .chat('conv-1', '2026-04-03T10:00:00Z', DANA);

  it('do not count', () => {
    expect(opportunity(run(closedThenReopened())).start).toBeNull();
  });

  it('do not count, but a chat after the opportunity reopens does', () => {
    const b = closedThenReopened()
      .opportunity('O1', '2026-04-04T10:00:00Z', { amount: '55000' })
      .chat('conv-2', '2026-04-05T10:00:00Z', DANA);
    const r = opportunity(run(b));
    expect(r.start?.conversationId).toBe('conv-2');
    expect(lines(r)).toEqual(['2026-04-05: pipeline +55000.00 = 55000.00 influence_started | closed-won -']);
  });

  it('do not count at the very instant it closes, while a chat a millisecond earlier does', () => {
    const wonAt = (chatAt: string) =>
      dana('2026-04-01T10:00:00Z', '50000')
        .opportunity('O1', '2026-04-02T10:00:00Z', { amount: '50000', stage: 'won' })
        .chat('conv-1', chatAt, DANA);
    expect(opportunity(run(wonAt('2026-04-02T10:00:00Z'))).start).toBeNull();
    expect(lines(opportunity(run(wonAt('2026-04-02T09:59:59.999Z'))))).toEqual([
      '2026-04-02: pipeline +50000.00 = 50000.00 influence_started | closed-won +50000.00 = 50000.00 influence_started',
    ]);
  });

  it('do not stop a chat from before the opportunity existed, even if it was created Closed Won', () => {
    const createdWon = (chatAt: string) =>
      new HistoryBuilder()
        .contact('K1', '2026-03-01T09:00:00Z', 'dana@acme.example')
        .chat('conv-1', chatAt, DANA)
        .opportunity('O1', '2026-04-02T10:00:00Z', { amount: '50000', stage: 'won' })
        .role('R1', '2026-04-02T10:00:00Z', 'O1', 'K1');
    expect(lines(opportunity(run(createdWon('2026-04-02T09:59:59.999Z'))))).toEqual([
      '2026-04-02: pipeline +50000.00 = 50000.00 influence_started | closed-won +50000.00 = 50000.00 influence_started',
    ]);
    expect(opportunity(run(createdWon('2026-04-02T10:00:00Z'))).start).toBeNull();
  });

  it('read a deleted opportunity at the stage of its last version (v1.1): a chat while a closed one sits deleted finds it closed', () => {
    const b = dana('2026-04-01T10:00:00Z', '50000')
      .opportunity('O1', '2026-04-02T10:00:00Z', { amount: '50000', stage: 'won' })
      .delete('opportunity', 'O1', '2026-04-03T10:00:00Z')
      .chat('conv-1', '2026-04-04T10:00:00Z', DANA)
      .opportunity('O1', '2026-04-05T10:00:00Z', { amount: '50000', stage: 'won' });
    expect(opportunity(run(b)).start).toBeNull();
  });

  it('let a chat while an open opportunity sits deleted count, booked as restored when it comes back', () => {
    const b = dana('2026-04-01T10:00:00Z', '50000')
      .opportunity('O1', '2026-04-02T10:00:00Z', { amount: '50000', stage: 'open' })
      .delete('opportunity', 'O1', '2026-04-03T10:00:00Z')
      .chat('conv-1', '2026-04-04T10:00:00Z', DANA)
      .opportunity('O1', '2026-04-05T10:00:00Z', { amount: '50000', stage: 'open' });
    const r = opportunity(run(b));
    expect(r.start?.day).toBe('2026-04-04');
    expect(lines(r)).toEqual(['2026-04-05: pipeline +50000.00 = 50000.00 restored | closed-won -']);
  });
});

describe('the touch instant', () => {
  it('is the opportunity CreatedDate for a chat before the opportunity existed, on that local day', () => {
    const created = '2026-03-02T23:30:00Z'; // 00:30 on 3 March in Paris
    const b = new HistoryBuilder()
      .contact('K1', '2026-02-20T09:00:00Z', 'dana@acme.example')
      .chat('conv-1', '2026-03-01T22:30:00Z', DANA)
      .opportunity('O1', '2026-03-02T23:40:00Z', { amount: '10000', createdDate: created })
      .role('R1', '2026-03-02T23:45:00Z', 'O1', 'K1', created);
    const r = opportunity(run(b, { timeZone: 'Europe/Paris', attributionWindowDays: 90 }));
    expect(r.start).toMatchObject({ at: ms(created), day: '2026-03-03', conversationId: 'conv-1' });
    expect(lines(r)).toEqual(['2026-03-03: pipeline +10000.00 = 10000.00 influence_started | closed-won -']);
  });

  it('is the role CreatedDate for a chat before the contact was put on the opportunity', () => {
    const b = new HistoryBuilder()
      .contact('K1', '2026-03-01T09:00:00Z', 'dana@acme.example')
      .opportunity('O1', '2026-03-02T10:00:00Z', { amount: '10000' })
      .chat('conv-1', '2026-03-03T10:00:00Z', DANA)
      .role('R1', '2026-03-05T10:00:05Z', 'O1', 'K1', '2026-03-05T10:00:00Z');
    expect(opportunity(run(b)).start).toMatchObject({ at: ms('2026-03-05T10:00:00Z'), day: '2026-03-05' });
  });

  it('is the chat start for a chat after the opportunity and the role exist', () => {
    const r = opportunity(run(dana().chat('conv-1', '2026-03-04T08:30:00Z', DANA)));
    expect(r.start).toMatchObject({
      at: ms('2026-03-04T08:30:00Z'),
      day: '2026-03-04',
      contactId: 'K1',
      contactRoleId: 'R1',
    });
  });
});

describe('contact roles', () => {
  it('deleted before the chat give no touch', () => {
    const b = dana('2026-03-02T10:00:00Z')
      .delete('contactRole', 'R1', '2026-03-03T10:00:00Z')
      .chat('conv-1', '2026-03-04T10:00:00Z', DANA);
    expect(opportunity(run(b)).start).toBeNull();
  });

  it('deleted at exactly the chat start give no touch', () => {
    const b = dana('2026-03-02T10:00:00Z')
      .chat('conv-1', '2026-03-03T10:00:00Z', DANA)
      .delete('contactRole', 'R1', '2026-03-03T10:00:00Z');
    expect(opportunity(run(b)).start).toBeNull();
  });

  it('deleted at exactly their creation give no touch to an earlier chat', () => {
    const b = dana('2026-03-02T10:00:00Z')
      .chat('conv-1', '2026-03-01T10:00:00Z', DANA)
      .delete('contactRole', 'R1', '2026-03-02T10:00:00Z');
    expect(opportunity(run(b)).start).toBeNull();
  });

  it('deleted a millisecond after the touch instant keep the touch', () => {
    const b = dana('2026-03-02T10:00:00Z')
      .chat('conv-1', '2026-03-03T10:00:00Z', DANA)
      .delete('contactRole', 'R1', '2026-03-03T10:00:00.001Z');
    expect(lines(opportunity(run(b)))).toEqual([
      '2026-03-03: pipeline +100000.00 = 100000.00 influence_started | closed-won -',
    ]);
  });

  it('deleted after influence started leave it in place: later changes still count', () => {
    const b = dana('2026-03-02T10:00:00Z')
      .chat('conv-1', '2026-03-03T10:00:00Z', DANA)
      .delete('contactRole', 'R1', '2026-03-04T10:00:00Z')
      .opportunity('O1', '2026-03-05T10:00:00Z', { amount: '120000' })
      .delete('contact', 'K1', '2026-03-06T10:00:00Z')
      .opportunity('O1', '2026-03-07T10:00:00Z', { amount: '120000', stage: 'won' });
    expect(lines(opportunity(run(b)))).toEqual([
      '2026-03-03: pipeline +100000.00 = 100000.00 influence_started | closed-won -',
      '2026-03-05: pipeline +20000.00 = 120000.00 amount_changed | closed-won -',
      '2026-03-07: pipeline - | closed-won +120000.00 = 120000.00 won',
    ]);
  });

  it('moved to another opportunity touch the first before the move and the second from the move on', () => {
    const b = dana('2026-03-02T10:00:00Z')
      .opportunity('O2', '2026-03-02T10:00:00Z', { amount: '7000' })
      .chat('conv-1', '2026-03-03T10:00:00Z', DANA)
      .role('R1', '2026-03-05T10:00:00Z', 'O2', 'K1')
      .chat('conv-2', '2026-03-06T10:00:00Z', DANA);
    const results = run(b);
    expect(opportunity(results, 'O1').start).toMatchObject({
      at: ms('2026-03-03T10:00:00Z'),
      conversationId: 'conv-1',
    });
    // conv-1 predates the move: the role's version naming O2 stands only from its own instant.
    expect(opportunity(results, 'O2').start).toMatchObject({
      at: ms('2026-03-05T10:00:00Z'),
      conversationId: 'conv-1',
    });
  });

  it('undeleted touch again from the undelete, even for a chat made while they were deleted', () => {
    const b = dana('2026-03-02T10:00:00Z')
      .delete('contactRole', 'R1', '2026-03-03T10:00:00Z')
      .chat('conv-1', '2026-03-04T10:00:00Z', DANA)
      .role('R1', '2026-03-06T10:00:00Z', 'O1', 'K1');
    expect(opportunity(run(b)).start).toMatchObject({ at: ms('2026-03-06T10:00:00Z'), day: '2026-03-06' });
  });
});

describe('amounts and reasons', () => {
  const influenced = (amount = '100000') =>
    dana('2026-03-02T16:00:00Z', amount).chat('conv-1', '2026-03-02T15:00:00Z', DANA);

  it('deleting an influenced opportunity reverses it, undeleting restores it', () => {
    const b = influenced()
      .opportunity('O1', '2026-03-03T10:00:00Z', { amount: '100000', stage: 'won' })
      .delete('opportunity', 'O1', '2026-03-04T10:00:00Z')
      .opportunity('O1', '2026-03-06T10:00:00Z', { amount: '100000', stage: 'won' });
    expect(lines(opportunity(run(b)))).toEqual([
      '2026-03-02: pipeline +100000.00 = 100000.00 influence_started | closed-won -',
      '2026-03-03: pipeline - | closed-won +100000.00 = 100000.00 won',
      '2026-03-04: pipeline -100000.00 = 0.00 deleted | closed-won -100000.00 = 0.00 deleted',
      '2026-03-06: pipeline +100000.00 = 100000.00 restored | closed-won +100000.00 = 100000.00 restored',
    ]);
  });

  it('a missing Amount counts as 0 until a later amount books it as amount_changed', () => {
    const b = new HistoryBuilder()
      .contact('K1', '2026-03-01T09:00:00Z', 'dana@acme.example')
      .chat('conv-1', '2026-03-02T15:00:00Z', DANA)
      .opportunity('O1', '2026-03-02T16:00:00Z', { amount: null })
      .role('R1', '2026-03-02T16:00:00Z', 'O1', 'K1')
      .opportunity('O1', '2026-03-04T10:00:00Z', { amount: '5000' })
      .opportunity('O1', '2026-03-05T10:00:00Z', { amount: null });
    const r = opportunity(run(b));
    expect(r.start?.day).toBe('2026-03-02');
    expect(lines(r)).toEqual([
      '2026-03-04: pipeline +5000.00 = 5000.00 amount_changed | closed-won -',
      '2026-03-05: pipeline -5000.00 = 0.00 amount_changed | closed-won -',
    ]);
  });

  it('Won then Closed Lost reverses closed-won as lost and keeps the pipeline', () => {
    const b = influenced('40000')
      .opportunity('O1', '2026-03-03T10:00:00Z', { amount: '40000', stage: 'won' })
      .opportunity('O1', '2026-03-05T10:00:00Z', { amount: '40000', stage: 'lost' });
    expect(lines(opportunity(run(b))).slice(1)).toEqual([
      '2026-03-03: pipeline - | closed-won +40000.00 = 40000.00 won',
      '2026-03-05: pipeline - | closed-won -40000.00 = 0.00 lost',
    ]);
  });

  it('Won then an open stage reverses closed-won as reopened', () => {
    const b = influenced('40000')
      .opportunity('O1', '2026-03-03T10:00:00Z', { amount: '40000', stage: 'won' })
      .opportunity('O1', '2026-03-05T10:00:00Z', { amount: '40000', stage: 'open' });
    expect(lines(opportunity(run(b))).slice(2)).toEqual([
      '2026-03-05: pipeline - | closed-won -40000.00 = 0.00 reopened',
    ]);
  });

  it('winning at a new amount changes the pipeline and books the new amount as won', () => {
    const b = influenced('40000')
      .opportunity('O1', '2026-03-03T10:00:00Z', { amount: '45000.50', stage: 'won' })
      .opportunity('O1', '2026-03-04T10:00:00Z', { amount: '30000', stage: 'lost' });
    expect(lines(opportunity(run(b))).slice(1)).toEqual([
      '2026-03-03: pipeline +5000.50 = 45000.50 amount_changed | closed-won +45000.50 = 45000.50 won',
      '2026-03-04: pipeline -15000.50 = 30000.00 amount_changed | closed-won -45000.50 = 0.00 lost',
    ]);
  });
});

describe('links by email', () => {
  it('survive a change of the contact email', () => {
    const b = dana()
      .contact('K1', '2026-03-02T08:00:00Z', 'dana@newco.example')
      .chat('conv-1', '2026-03-03T10:00:00Z', [' Dana@ACME.example ']);
    const r = opportunity(run(b));
    expect(r.start).toMatchObject({
      conversationId: 'conv-1',
      versionIds: ['R1@2026-03-02T16:00:00Z', 'K1@2026-03-01T09:00:00Z'],
    });
  });

  it('reach every contact that shares the chat email, whatever its case and spacing', () => {
    const b = new HistoryBuilder()
      .contact('K1', '2026-03-01T09:00:00Z', 'Pat@Shared.io')
      .contact('K2', '2026-03-01T09:00:00Z', '  pat@shared.io ')
      .contact('K3', '2026-03-01T09:00:00Z', 'someone@else.io')
      .opportunity('O1', '2026-03-02T10:00:00Z', { amount: '1000' })
      .opportunity('O2', '2026-03-02T10:00:00Z', { amount: '2000' })
      .opportunity('O3', '2026-03-02T10:00:00Z', { amount: '4000' })
      .role('R1', '2026-03-02T10:00:00Z', 'O1', 'K1')
      .role('R2', '2026-03-02T10:00:00Z', 'O2', 'K2')
      .role('R3', '2026-03-02T10:00:00Z', 'O3', 'K3')
      .chat('conv-1', '2026-03-03T10:00:00Z', ['PAT@SHARED.IO']);
    expect(run(b).map((r) => [r.opportunityId, r.start?.contactId ?? null, lines(r)])).toEqual([
      ['O1', 'K1', ['2026-03-03: pipeline +1000.00 = 1000.00 influence_started | closed-won -']],
      ['O2', 'K2', ['2026-03-03: pipeline +2000.00 = 2000.00 influence_started | closed-won -']],
      ['O3', null, []],
    ]);
  });

  it('need an email: a chat without one, or with only blanks, links nothing', () => {
    const b = dana()
      .contact('K2', '2026-03-01T09:00:00Z', null)
      .role('R2', '2026-03-02T16:00:00Z', 'O1', 'K2')
      .chat('conv-1', '2026-03-03T10:00:00Z', [])
      .chat('conv-2', '2026-03-03T10:00:00Z', ['   ', '']);
    expect(opportunity(run(b)).start).toBeNull();
  });

  it('go through a lead converted into the contact, from any of the lead versions', () => {
    const b = dana()
      .lead('L1', '2026-02-01T09:00:00Z', 'rui@gmail.example')
      .lead('L1', '2026-03-02T17:00:00Z', 'rui@work.example', 'K1')
      .chat('conv-1', '2026-03-03T10:00:00Z', ['RUI@gmail.example']);
    expect(opportunity(run(b)).start).toMatchObject({
      conversationId: 'conv-1',
      contactId: 'K1',
      versionIds: ['R1@2026-03-02T16:00:00Z', 'L1@2026-02-01T09:00:00Z'],
    });
  });

  it('outlive the contact: only a role delete stops a touch', () => {
    const b = dana().delete('contact', 'K1', '2026-03-02T17:00:00Z').chat('conv-1', '2026-03-03T10:00:00Z', DANA);
    expect(opportunity(run(b)).start?.conversationId).toBe('conv-1');
  });
});

describe('days in the workspace time zone', () => {
  /** O1 opened at `openedAt` for 1000, its contact chatting at `chatAt`, then new amounts at those instants. */
  function story(openedAt: string, chatAt: string, amounts: [string, string][]): HistoryBuilder {
    const b = dana(openedAt, '1000').chat('conv-1', chatAt, DANA);
    for (const [at, amount] of amounts) b.opportunity('O1', at, { amount });
    return b;
  }
  const zone = (timeZone: string) => ({ timeZone, attributionWindowDays: 90 });

  it('put events around New York spring forward on their local days', () => {
    const b = story('2026-03-07T15:00:00Z', '2026-03-08T04:30:00Z', [
      // chat: 23:30 EST, 7 March
      ['2026-03-09T03:30:00Z', '2000'], // 23:30 EDT, 8 March
      ['2026-03-09T04:30:00Z', '3000'], // 00:30 EDT, 9 March
    ]);
    expect(lines(opportunity(run(b, zone('America/New_York'))))).toEqual([
      '2026-03-07: pipeline +1000.00 = 1000.00 influence_started | closed-won -',
      '2026-03-08: pipeline +1000.00 = 2000.00 amount_changed | closed-won -',
      '2026-03-09: pipeline +1000.00 = 3000.00 amount_changed | closed-won -',
    ]);
  });

  it('put events around New York fall back on their local days', () => {
    const b = story('2026-10-31T12:00:00Z', '2026-11-01T03:30:00Z', [
      // chat: 23:30 EDT, 31 October
      ['2026-11-01T04:30:00Z', '2000'], // 00:30 EDT, 1 November
      ['2026-11-02T04:30:00Z', '3000'], // 23:30 EST, 1 November: 25 hours after its midnight
      ['2026-11-02T05:30:00Z', '4000'], // 00:30 EST, 2 November
    ]);
    const r = opportunity(run(b, zone('America/New_York')));
    expect(lines(r)).toEqual([
      '2026-10-31: pipeline +1000.00 = 1000.00 influence_started | closed-won -',
      '2026-11-01: pipeline +2000.00 = 3000.00 amount_changed | closed-won -',
      '2026-11-02: pipeline +1000.00 = 4000.00 amount_changed | closed-won -',
    ]);
    expect(r.days[1]?.causes.versions).toEqual(['O1@2026-11-01T04:30:00Z', 'O1@2026-11-02T04:30:00Z']);
  });

  it('put events around Paris spring forward on their local days', () => {
    const b = story('2026-03-28T12:00:00Z', '2026-03-28T23:30:00Z', [
      // chat: 00:30 CET, 29 March
      ['2026-03-29T21:30:00Z', '2000'], // 23:30 CEST, 29 March: the start day's end-of-day amount
      ['2026-03-29T22:30:00Z', '3000'], // 00:30 CEST, 30 March
    ]);
    expect(lines(opportunity(run(b, zone('Europe/Paris'))))).toEqual([
      '2026-03-29: pipeline +2000.00 = 2000.00 influence_started | closed-won -',
      '2026-03-30: pipeline +1000.00 = 3000.00 amount_changed | closed-won -',
    ]);
  });

  it('put events around Paris fall back on their local days', () => {
    const b = story('2026-10-24T12:00:00Z', '2026-10-24T22:30:00Z', [
      // chat: 00:30 CEST, 25 October
      ['2026-10-25T22:30:00Z', '2000'], // 23:30 CET, 25 October
      ['2026-10-25T23:30:00Z', '3000'], // 00:30 CET, 26 October
    ]);
    expect(lines(opportunity(run(b, zone('Europe/Paris'))))).toEqual([
      '2026-10-25: pipeline +2000.00 = 2000.00 influence_started | closed-won -',
      '2026-10-26: pipeline +1000.00 = 3000.00 amount_changed | closed-won -',
    ]);
  });
});

describe('daily deltas and their causes', () => {
  it('net several versions of one day to one delta that lists every version of the day', () => {
    const b = dana()
      .chat('conv-1', '2026-03-02T15:00:00Z', DANA)
      .opportunity('O1', '2026-03-03T09:00:00Z', { amount: '120000' })
      .opportunity('O1', '2026-03-03T12:00:00Z', { amount: '90000' })
      .opportunity('O1', '2026-03-03T18:00:00Z', { amount: '95000' })
      .opportunity('O1', '2026-03-04T09:00:00Z', { amount: '120000' })
      .opportunity('O1', '2026-03-04T12:00:00Z', { amount: '95000' });
    const r = opportunity(run(b));
    expect(lines(r)).toEqual([
      '2026-03-02: pipeline +100000.00 = 100000.00 influence_started | closed-won -',
      '2026-03-03: pipeline -5000.00 = 95000.00 amount_changed | closed-won -',
    ]);
    expect(r.days[1]?.causes).toEqual({
      versions: ['O1@2026-03-03T09:00:00Z', 'O1@2026-03-03T12:00:00Z', 'O1@2026-03-03T18:00:00Z'],
      conversations: [],
    });
  });

  it('name on the start day the opportunity state, the role version, the linking versions and the chat', () => {
    const b = new HistoryBuilder()
      .contact('K1', '2026-03-01T09:00:00Z', 'dana@acme.example')
      .lead('L1', '2026-03-01T10:00:00Z', 'Dana@acme.example', 'K1')
      .chat('conv-1', '2026-03-02T15:00:00Z', DANA)
      .opportunity('O1', '2026-03-02T16:00:00Z', { amount: '100000' })
      .role('R1', '2026-03-02T16:00:05Z', 'O1', 'K1')
      .opportunity('O1', '2026-03-02T20:00:00Z', { amount: '110000' });
    const r = opportunity(run(b));
    expect(lines(r)).toEqual(['2026-03-02: pipeline +110000.00 = 110000.00 influence_started | closed-won -']);
    expect(r.days[0]?.causes).toEqual({
      versions: [
        'O1@2026-03-02T20:00:00Z',
        'R1@2026-03-02T16:00:05Z',
        'K1@2026-03-01T09:00:00Z',
        'L1@2026-03-01T10:00:00Z',
      ],
      conversations: ['conv-1'],
    });
  });

  it('name the starting chat on the first booked entry when the opportunity was worth nothing on its start day', () => {
    const b = dana('2026-03-02T16:00:00Z', '0')
      .chat('conv-1', '2026-03-02T15:00:00Z', DANA)
      .opportunity('O1', '2026-03-05T09:00:00Z', { amount: '40000' });
    const r = opportunity(run(b));
    expect(lines(r)).toEqual(['2026-03-05: pipeline +40000.00 = 40000.00 amount_changed | closed-won -']);
    expect(r.days[0]?.causes).toEqual({
      versions: ['O1@2026-03-05T09:00:00Z', 'R1@2026-03-02T16:00:00Z', 'K1@2026-03-01T09:00:00Z'],
      conversations: ['conv-1'],
    });
  });

  it("start on the chat day with that day's end-of-day amount when the opportunity already existed", () => {
    const b = dana('2026-04-01T10:00:00Z', '50000')
      .opportunity('O1', '2026-04-02T12:00:00Z', { amount: '60000' })
      .chat('conv-2', '2026-04-03T14:00:00Z', DANA)
      .opportunity('O1', '2026-04-03T18:00:00Z', { amount: '65000.50' });
    expect(lines(opportunity(run(b)))).toEqual([
      '2026-04-03: pipeline +65000.50 = 65000.50 influence_started | closed-won -',
    ]);
  });
});

describe('ties and team filters', () => {
  it('give touches at the same instant to the smaller conversation id, not the earlier chat', () => {
    const b = dana().chat('conv-b', '2026-03-02T11:00:00Z', DANA).chat('conv-a', '2026-03-02T12:00:00Z', DANA);
    expect(opportunity(run(b)).start).toMatchObject({ at: ms('2026-03-02T16:00:00Z'), conversationId: 'conv-a' });
  });

  it('give touches of one chat at the same instant to the smaller role id', () => {
    const b = dana().role('R0', '2026-03-02T16:00:00Z', 'O1', 'K1').chat('conv-1', '2026-03-02T11:00:00Z', DANA);
    expect(opportunity(run(b)).start).toMatchObject({ conversationId: 'conv-1', contactRoleId: 'R0' });
  });

  const twoTeams = () =>
    dana()
      .chat('conv-1', '2026-03-02T15:00:00Z', DANA, 'sales')
      .opportunity('O1', '2026-03-03T09:00:00Z', { amount: '120000' })
      .chat('conv-2', '2026-03-04T10:00:00Z', DANA, 'support');

  it('start a team set at its own earliest touch, with the running total of that day', () => {
    const all = opportunity(run(twoTeams()));
    const support = opportunity(run(twoTeams(), UTC, { teams: new Set(['support']) }));
    expect(lines(all)).toEqual([
      '2026-03-02: pipeline +100000.00 = 100000.00 influence_started | closed-won -',
      '2026-03-03: pipeline +20000.00 = 120000.00 amount_changed | closed-won -',
    ]);
    expect(lines(support)).toEqual(['2026-03-04: pipeline +120000.00 = 120000.00 influence_started | closed-won -']);
    expect(support.teamStarts.map((t) => [t.teamId, t.conversationId, t.day])).toEqual([
      ['sales', 'conv-1', '2026-03-02'],
      ['support', 'conv-2', '2026-03-04'],
    ]);
    expect(support.teamStarts).toEqual(all.teamStarts);
  });

  it('list every touching conversation once, at its earliest touch, in time order, whatever the filter', () => {
    const b = twoTeams()
      .chat('conv-0', '2026-03-01T12:00:00Z', DANA, 'success')
      .role('R2', '2026-03-03T12:00:00Z', 'O1', 'K1');
    const touches = opportunity(run(b, UTC, { teams: new Set(['support']) })).touches;
    expect(
      touches.map((t) => [t.conversationId, t.teamId, t.agentId, t.contactRoleId, new Date(t.at).toISOString()]),
    ).toEqual([
      ['conv-0', 'success', 'agent-1', 'R1', '2026-03-02T16:00:00.000Z'],
      ['conv-1', 'sales', 'agent-1', 'R1', '2026-03-02T16:00:00.000Z'],
      ['conv-2', 'support', 'agent-1', 'R1', '2026-03-04T10:00:00.000Z'],
    ]);
  });

  it('influence nothing with an empty team set, while still listing every team start', () => {
    const r = opportunity(run(twoTeams(), UTC, { teams: new Set() }));
    expect([r.start, r.days, r.teamStarts.length]).toEqual([null, [], 2]);
  });

  it('compute only the requested opportunities, once each, in id order, skipping unknown ids', () => {
    const b = dana()
      .opportunity('O2', '2026-03-02T16:00:00Z', { amount: '1' })
      .chat('conv-1', '2026-03-03T10:00:00Z', DANA);
    expect(run(b, UTC, { opportunityIds: ['O2', 'O9', 'O1', 'O2'] }).map((r) => r.opportunityId)).toEqual(['O1', 'O2']);
    expect(run(b, UTC, { opportunityIds: [] })).toEqual([]);
  });
});
