// A large org from a seed, for benchmarks: accounts, contacts, leads, and opportunities that
// move through the stages (about ten OpportunityHistory rows each) with contact roles, spread
// over the year before the clock. Written straight into the store (no per-record REST checks),
// so a 100k-opportunity org takes seconds; the same seed and clock give the same org. Contact
// emails follow generatedContactEmail, so a benchmark can make chats that link without asking.
import { STANDARD_STAGES } from './org-setup';
import type { Store } from './store';
import { dayOf, type Row } from './values';

const DAY = 24 * 60 * 60 * 1000;
const OPEN_STAGES = STANDARD_STAGES.filter((s) => !s.isClosed).map((s) => s.name);
/** Saves per opportunity: its creation and nine changes, each writing an OpportunityHistory row. */
const SAVES = 10;
const ROLES = ['Decision Maker', 'Economic Buyer', 'Evaluator', 'Influencer', 'Technical Buyer'];

export type GeneratedOrgSpec = { opportunities: number; seed: number };
export type GeneratedOrg = {
  opportunities: number;
  accounts: number;
  contacts: number;
  leads: number;
  contactRoles: number;
  opportunityHistory: number;
  /** The first and last instant of the generated history (ISO-8601). */
  from: string;
  to: string;
};

/** The email of the k-th generated contact (0-based). */
export const generatedContactEmail = (k: number) => `contact-${k}@generated.example`;

/** Fills the store with a generated org whose history ends two days before `now`. */
export function seedGeneratedOrg(store: Store, spec: GeneratedOrgSpec, now: number): GeneratedOrg {
  const rand = mulberry32(spec.seed);
  const end = Math.floor(now / DAY) * DAY - 2 * DAY;
  const start = end - 365 * DAY;
  const n = spec.opportunities;
  const accounts = Math.max(1, Math.ceil(n / 5));
  const contacts = Math.max(1, Math.round(n * 1.5));
  const leads = Math.round(n * 0.3);
  const counts = { opportunities: n, accounts, contacts, leads, contactRoles: 0, opportunityHistory: 0 };

  const accountIds: string[] = [];
  for (let a = 0; a < accounts; a++)
    accountIds.push(store.insert('Account', { Name: `Generated account ${a}` }, start + a).Id as string);
  // Contact k works at account k % accounts, so each account's contacts are k = a, a + accounts, …
  const contactIds: string[] = [];
  for (let k = 0; k < contacts; k++) {
    const row = store.insert(
      'Contact',
      { FirstName: 'Contact', LastName: `${k}`, Email: generatedContactEmail(k), AccountId: accountIds[k % accounts]! },
      start + k,
    );
    contactIds.push(row.Id as string);
  }
  for (let l = 0; l < leads; l++) {
    store.insert(
      'Lead',
      { FirstName: 'Lead', LastName: `${l}`, Email: `lead-${l}@generated.example`, Company: `Lead company ${l}` },
      start + Math.floor(rand() * (end - start)),
    );
  }
  for (let i = 0; i < n; i++) {
    const account = i % accounts;
    const created = start + Math.floor(rand() * (end - start - 30 * DAY));
    const times = saveTimes(rand, created, Math.min(end, created + 270 * DAY));
    let amount = (50 + Math.floor(rand() * 2450)) * 100;
    const outcome = rand();
    const opp = store.insert(
      'Opportunity',
      {
        Name: `Generated opportunity ${i}`,
        AccountId: accountIds[account]!,
        Amount: amount,
        StageName: OPEN_STAGES[0]!,
        CloseDate: dayOf(times[SAVES - 1]! + 30 * DAY),
      },
      times[0]!,
    );
    const id = opp.Id as string;
    // Two roles from the account's contacts, one primary, soon after creation.
    const perAccount = Math.max(1, Math.floor((contacts - 1 - account) / accounts) + 1);
    for (let r = 0; r < Math.min(2, perAccount); r++) {
      const k = account + accounts * ((Math.floor(rand() * perAccount) + r) % perAccount);
      store.insert(
        'OpportunityContactRole',
        {
          OpportunityId: id,
          ContactId: contactIds[k]!,
          Role: ROLES[Math.floor(rand() * ROLES.length)]!,
          IsPrimary: r === 0,
        },
        times[0]! + 1000 * (r + 1),
      );
      counts.contactRoles++;
    }
    for (let j = 1; j < SAVES; j++) {
      const last = j === SAVES - 1;
      const values: Record<string, string | number> = {};
      if (last && outcome < 0.2) values.StageName = 'Closed Won';
      else if (last && outcome < 0.45) values.StageName = 'Closed Lost';
      else if (j < OPEN_STAGES.length) values.StageName = OPEN_STAGES[j]!;
      if (!values.StageName || rand() < 0.3) {
        amount = Math.round(amount * (0.7 + 0.6 * rand()));
        values.Amount = amount;
      }
      store.update('Opportunity', id, values, times[j]!);
    }
  }
  counts.opportunityHistory = store.count('OpportunityHistory', true);
  return { ...counts, from: new Date(start).toISOString(), to: new Date(end).toISOString() };
}

/**
 * Changes `count` opportunities at `now`, each one new OpportunityHistory row: the next open
 * stage, or a new amount for a closed one. Which ones is drawn from the seed.
 */
export function changeGeneratedOpportunities(store: Store, count: number, seed: number, now: number): number {
  const rand = mulberry32(seed);
  const table = store.table('Opportunity');
  const live = table.slots(false);
  const picked = new Set<number>();
  const wanted = Math.min(count, live.length);
  while (picked.size < wanted) picked.add(Math.floor(rand() * live.length));
  for (const i of picked) {
    const row = table.read(live[i]!);
    const next = OPEN_STAGES.indexOf(String(row.StageName)) + 1;
    const values: Row =
      row.IsClosed !== true && next < OPEN_STAGES.length
        ? { StageName: OPEN_STAGES[next]! }
        : { Amount: Math.round(Number(row.Amount ?? 1000) * 1.1) };
    store.update('Opportunity', row.Id as string, values, now);
  }
  return picked.size;
}

/** SAVES instants from `from`, the rest spread up to `to`, ascending, whole seconds apart. */
function saveTimes(rand: () => number, from: number, to: number): number[] {
  const span = Math.max(SAVES, Math.floor((to - from) / 1000));
  const offsets = Array.from({ length: SAVES - 1 }, () => 1 + Math.floor(rand() * (span - 1)));
  offsets.sort((a, b) => a - b);
  return [from, ...offsets.map((o, j) => from + (o + j) * 1000)];
}

/** A small seeded PRNG (mulberry32), as seed-demo uses. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
