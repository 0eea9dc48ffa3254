// Random but valid engine histories for the property tests. Small pools of ids, emails and
// teams make links, shared emails, ties and team overlaps common; instants cluster around the
// real 2026 DST transitions of the non-UTC zones, so days of 23, 23.5, 24.5 and 25 hours occur.
import fc from 'fast-check';
import type { AttributionSettings, Chat, History, LeadVersion } from '../../src/attribution/history';
import type { Cents } from '../../src/attribution/money';

export const TIME_ZONES = [
  'UTC',
  'America/New_York',
  'Europe/Paris',
  'Asia/Kolkata',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
];
export const TEAMS = ['sales', 'support', 'success'];
const CONTACT_IDS = ['K1', 'K2', 'K3', 'K4'];
const LEAD_IDS = ['L1', 'L2', 'L3'];
export const OPPORTUNITY_IDS = ['O1', 'O2', 'O3', 'O4'];
const ROLE_IDS = ['R1', 'R2', 'R3', 'R4', 'R5', 'R6'];
const CHAT_IDS = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7'];
const EMAILS = ['ann@acme.io', 'bob@acme.io', 'cy@globex.io', 'dee@globex.io'];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const SPAN = 44 * DAY;

/** Two seasons of 2026, each holding the offset changes (UTC instants) of the zones above. */
const SEASONS = [
  {
    start: Date.parse('2026-03-01T00:00:00Z'),
    // New York and Paris spring forward; Chatham (+13:45 -> +12:45) and Lord Howe (+11 -> +10:30) fall back.
    transitions: ['2026-03-08T07:00:00Z', '2026-03-29T01:00:00Z', '2026-04-04T14:00:00Z', '2026-04-04T15:00:00Z'],
  },
  {
    start: Date.parse('2026-09-20T00:00:00Z'),
    transitions: ['2026-09-26T14:00:00Z', '2026-10-03T15:30:00Z', '2026-10-25T01:00:00Z', '2026-11-01T06:00:00Z'],
  },
].map((s) => ({ start: s.start, transitions: s.transitions.map((t) => Date.parse(t)) }));
type Season = (typeof SEASONS)[number];

export interface GeneratedCase {
  history: History;
  settings: AttributionSettings;
}

// ---- drafts: what fast-check generates and shrinks, before ids, order and seq are assigned ----

/** A free instant, or an anchor of the case shifted by some milliseconds or by the attribution window. */
type InstantDraft = number | { anchor: number; offset: number | 'window' | 'outsideWindow' };
type Stage = 'open' | 'lost' | 'won';
interface ContactDraft {
  at: InstantDraft;
  email: string | null;
  deleted: boolean;
}
interface LeadDraft {
  at: InstantDraft;
  email: string | null;
  convertedContactId: string | null;
  deleted: boolean;
}
interface OpportunityDraft {
  at: InstantDraft;
  amount: Cents | null;
  stage: Stage;
  deleted: boolean;
}
interface RoleDraft {
  at: InstantDraft;
  opportunityId: string | null;
  contactId: string | null;
  deleted: boolean;
}
interface Drafts {
  settings: AttributionSettings;
  anchors: number[];
  contacts: (ContactDraft[] | null)[];
  leads: (LeadDraft[] | null)[];
  opportunities: ({ created: InstantDraft | null; versions: OpportunityDraft[] } | null)[];
  roles: ({ opportunityId: string; contactId: string; created: InstantDraft | null; versions: RoleDraft[] } | null)[];
  chats: ((Omit<Chat, 'id' | 'at'> & { at: InstantDraft }) | null)[];
}

/** True about one time in eight; shrinks to false. */
const rarely = fc.integer({ min: 0, max: 7 }).map((n) => n === 7);

/** An instant of the season, free or near a DST transition. */
function seasonInstantArb(season: Season): fc.Arbitrary<number> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: 0, max: SPAN / MINUTE }).map((m) => season.start + m * MINUTE) },
    // Whole hours: versions and chats of different records often share an instant.
    { weight: 3, arbitrary: fc.integer({ min: 0, max: SPAN / HOUR }).map((h) => season.start + h * HOUR) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(...season.transitions), fc.constantFrom(-HOUR, -1, 0, 1, 30 * MINUTE, HOUR))
        .map(([t, d]) => t + d),
    },
  );
}

/**
 * An instant of an event: free, or one of the case's eight anchors shifted by 0, ±1 ms, an hour,
 * a day, or the attribution window (exactly, or 1 ms more), so that boundaries such as a delete
 * exactly at t or a chat exactly `window` days before the CreatedDate are hit often.
 */
function instantArb(season: Season): fc.Arbitrary<InstantDraft> {
  return fc.oneof(
    { weight: 1, arbitrary: seasonInstantArb(season) },
    {
      weight: 2,
      arbitrary: fc.record({
        anchor: fc.nat(7),
        offset: fc.constantFrom<number | 'window' | 'outsideWindow'>(
          0,
          0,
          0,
          -1,
          1,
          HOUR,
          -DAY,
          'window',
          'outsideWindow',
        ),
      }),
    },
  );
}

/** A pool email as a person might type it: case and white space vary, so normalization matters. */
const typedEmailArb: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...EMAILS), fc.constantFrom('as-is', 'upper', 'padded', 'capitalized'))
  .map(([e, how]) => {
    if (how === 'upper') return e.toUpperCase();
    if (how === 'padded') return `  ${e}\t`;
    if (how === 'capitalized') return e[0]!.toUpperCase() + e.slice(1);
    return e;
  });

const emailArb: fc.Arbitrary<string | null> = fc.oneof(
  { weight: 8, arbitrary: typedEmailArb },
  { weight: 1, arbitrary: fc.constantFrom<string | null>(null, '', '   ') },
);

const amountArb: fc.Arbitrary<Cents | null> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom<Cents>(0n, 5_000n, 10_000_000n, 12_000_000n) },
  { weight: 3, arbitrary: fc.bigInt({ min: 0n, max: 50_000_000n }) },
  { weight: 1, arbitrary: fc.constant(null) },
);

/** One optional record per id of the pool: absent records shrink away. */
function recordsOf<T>(ids: string[], arb: fc.Arbitrary<T>): fc.Arbitrary<(T | null)[]> {
  return fc.tuple(...ids.map(() => fc.option(arb, { freq: 4 })));
}

function draftsArb(season: Season): fc.Arbitrary<Drafts> {
  const at = instantArb(season);
  const settings = fc.record({
    timeZone: fc.constantFrom(...TIME_ZONES),
    attributionWindowDays: fc.oneof(fc.constantFrom(0, 1, 7, 30, 90, 120), fc.integer({ min: 0, max: 120 })),
  });
  // A CreatedDate of its own (never after the first version), or none: the first version's instant.
  const created = fc.option(at, { freq: 2 });
  return fc.record({
    settings,
    anchors: fc.array(seasonInstantArb(season), { minLength: 8, maxLength: 8 }),
    contacts: recordsOf(
      CONTACT_IDS,
      fc.array(fc.record({ at, email: emailArb, deleted: rarely }), { minLength: 1, maxLength: 3 }),
    ),
    leads: recordsOf(
      LEAD_IDS,
      fc.array(
        fc.record({
          at,
          email: emailArb,
          convertedContactId: fc.option(fc.constantFrom(...CONTACT_IDS, 'K9'), { freq: 2 }),
          deleted: rarely,
        }),
        { minLength: 1, maxLength: 3 },
      ),
    ),
    opportunities: recordsOf(
      OPPORTUNITY_IDS,
      fc.record({
        created,
        versions: fc.array(
          fc.record({
            at,
            amount: amountArb,
            stage: fc.constantFrom<Stage>('open', 'open', 'lost', 'won'),
            deleted: rarely,
          }),
          { minLength: 1, maxLength: 5 },
        ),
      }),
    ),
    roles: recordsOf(
      ROLE_IDS,
      fc.record({
        opportunityId: fc.constantFrom(...OPPORTUNITY_IDS, 'O9'),
        contactId: fc.constantFrom(...CONTACT_IDS, 'K9'),
        created,
        versions: fc.array(
          fc.record({
            at,
            // A later version may move the role to another opportunity or contact.
            opportunityId: fc.option(fc.constantFrom(...OPPORTUNITY_IDS), { freq: 5 }),
            contactId: fc.option(fc.constantFrom(...CONTACT_IDS), { freq: 5 }),
            deleted: rarely,
          }),
          { minLength: 1, maxLength: 3 },
        ),
      }),
    ),
    chats: recordsOf(
      CHAT_IDS,
      fc.record({
        at,
        teamId: fc.constantFrom(...TEAMS),
        agentId: fc.option(fc.constantFrom('a1', 'a2')),
        emails: fc.array(typedEmailArb, { maxLength: 2 }),
      }),
    ),
  });
}

/**
 * A workspace history and its settings. With `distinctInstants`, no two events or versions share
 * an instant (ties are otherwise frequent and resolved by `seq`).
 */
export function historyCase(options: { distinctInstants?: boolean } = {}): fc.Arbitrary<GeneratedCase> {
  return fc
    .constantFrom(...SEASONS)
    .chain(draftsArb)
    .map((d) => buildCase(d, options.distinctInstants ?? false));
}

function buildCase(d: Drafts, distinct: boolean): GeneratedCase {
  const used = new Set<number>();
  const windowMs = d.settings.attributionWindowDays * DAY;
  const shift = { window: -windowMs, outsideWindow: -windowMs - 1 };
  const resolve = (t: InstantDraft) =>
    typeof t === 'number' ? t : d.anchors[t.anchor]! + (typeof t.offset === 'number' ? t.offset : shift[t.offset]);
  const instant = (draft: InstantDraft): number => {
    let t = resolve(draft);
    if (!distinct) return t;
    while (used.has(t)) t += 1;
    used.add(t);
    return t;
  };
  let seq = 0;
  // Each record's versions in time order; seq follows that order, so ties keep it.
  const ordered = <T extends { at: InstantDraft }>(versions: T[]) =>
    versions
      .map((v) => ({ ...v, at: instant(v.at) }))
      .sort((a, b) => a.at - b.at)
      .map((v) => ({ ...v, seq: seq++ }));
  const history: History = { chats: [], contacts: [], leads: [], opportunities: [], contactRoles: [] };

  d.contacts.forEach((versions, n) => {
    if (!versions) return;
    const contactId = CONTACT_IDS[n]!;
    let last: string | null = null;
    ordered(versions).forEach((v, i) => {
      // A delete carries the record's last known state, as the sync records it.
      const email = v.deleted ? last : v.email;
      last = email;
      history.contacts.push({
        versionId: `${contactId}.v${i}`,
        at: v.at,
        seq: v.seq,
        deleted: v.deleted,
        contactId,
        email,
      });
    });
  });

  d.leads.forEach((versions, n) => {
    if (!versions) return;
    const leadId = LEAD_IDS[n]!;
    let last: Pick<LeadVersion, 'email' | 'convertedContactId'> = { email: null, convertedContactId: null };
    ordered(versions).forEach((v, i) => {
      const state = v.deleted ? last : { email: v.email, convertedContactId: v.convertedContactId };
      last = state;
      history.leads.push({ versionId: `${leadId}.v${i}`, at: v.at, seq: v.seq, deleted: v.deleted, leadId, ...state });
    });
  });

  d.opportunities.forEach((o, n) => {
    if (!o) return;
    const opportunityId = OPPORTUNITY_IDS[n]!;
    const versions = ordered(o.versions);
    const createdDate = o.created === null ? null : Math.min(resolve(o.created), versions[0]!.at);
    let last = { amount: null as Cents | null, stageName: null as string | null, isClosed: false, isWon: false };
    versions.forEach((v, i) => {
      const state = v.deleted
        ? last
        : { amount: v.amount, stageName: v.stage, isClosed: v.stage !== 'open', isWon: v.stage === 'won' };
      last = state;
      history.opportunities.push({
        versionId: `${opportunityId}.v${i}`,
        at: v.at,
        seq: v.seq,
        deleted: v.deleted,
        opportunityId,
        ...state,
        createdDate,
      });
    });
  });

  d.roles.forEach((r, n) => {
    if (!r) return;
    const contactRoleId = ROLE_IDS[n]!;
    const versions = ordered(r.versions);
    const createdDate = r.created === null ? null : Math.min(resolve(r.created), versions[0]!.at);
    let opportunityId: string | null = r.opportunityId;
    let contactId: string | null = r.contactId;
    versions.forEach((v, i) => {
      const neverSeen = i === 0 && v.deleted; // a delete of a role the sync never saw: nothing known
      if (!v.deleted) {
        opportunityId = i === 0 ? r.opportunityId : (v.opportunityId ?? opportunityId ?? r.opportunityId);
        contactId = i === 0 ? r.contactId : (v.contactId ?? contactId ?? r.contactId);
      }
      history.contactRoles.push({
        versionId: `${contactRoleId}.v${i}`,
        at: v.at,
        seq: v.seq,
        deleted: v.deleted,
        contactRoleId,
        opportunityId: neverSeen ? null : opportunityId,
        contactId: neverSeen ? null : contactId,
        createdDate: neverSeen ? null : createdDate,
      });
      if (neverSeen) {
        opportunityId = null;
        contactId = null;
      }
    });
  });

  d.chats.forEach((c, n) => {
    if (c) history.chats.push({ ...c, id: CHAT_IDS[n]!, at: instant(c.at) });
  });
  return { history, settings: d.settings };
}
