// A deliberately naive reading of ATTRIBUTION.md rules 2-6 (and the engine's documented choices),
// written without the engine's indexes, binary searches or calendar cache: the oracle that the
// property tests hold the engine to. Quadratic, and fine for a few dozen events.
import type { AttributionSettings, Chat, History, OpportunityVersion } from '../../src/attribution/history';
import type { DeltaReason } from '../../src/attribution/result';

const DAY_MS = 86_400_000;

export interface ReferenceDay {
  day: string;
  pipeline: bigint;
  closedWon: bigint;
  pipelineReason: DeltaReason | null;
  closedWonReason: DeltaReason | null;
}

interface ReferenceTouch {
  at: number;
  conversationId: string;
  contactRoleId: string;
}

export interface ReferenceResult {
  opportunityId: string;
  start: ReferenceTouch | null;
  /** Each touching conversation at its earliest touch, whatever the team filter, in time order. */
  touches: ReferenceTouch[];
  days: ReferenceDay[];
}

/** YYYY-MM-DD of the instant in the zone, straight from Intl. */
export function localDay(timeZone: string, instant: number): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** Rule 2, restated: trimmed and lower-cased; '' is no email. */
const normalized = (email: string | null) => (email ?? '').trim().toLowerCase();

const byTime = <T extends { at: number; seq: number }>(a: T, b: T) => a.at - b.at || a.seq - b.seq;

/** Rule 2: the normalized emails linking to a contact. */
function emailsOf(h: History, contactId: string): Set<string> {
  const emails = new Set<string>();
  for (const v of h.contacts) if (v.contactId === contactId) emails.add(normalized(v.email));
  for (const lead of h.leads) {
    const converted = h.leads.some((v) => v.leadId === lead.leadId && v.convertedContactId === contactId);
    if (converted) emails.add(normalized(lead.email));
  }
  emails.delete('');
  return emails;
}

const linked = (chat: Chat, emails: Set<string>) => chat.emails.some((e) => emails.has(normalized(e)));

export function referenceAttribution(
  h: History,
  settings: AttributionSettings,
  teams: ReadonlySet<string> | null = null,
): ReferenceResult[] {
  const ids = [...new Set(h.opportunities.map((v) => v.opportunityId))].sort();
  return ids.map((id) => referenceOpportunity(h, settings, teams, id));
}

function referenceOpportunity(
  h: History,
  settings: AttributionSettings,
  teams: ReadonlySet<string> | null,
  id: string,
): ReferenceResult {
  const versions = h.opportunities.filter((v) => v.opportunityId === id).sort(byTime);
  const created = versions.find((v) => v.createdDate !== null)?.createdDate ?? versions[0]!.at;
  const lastAtOrBefore = (t: number) => versions.filter((v) => v.at <= t).pop() ?? null;

  const touches: (ReferenceTouch & { teamId: string })[] = [];
  const roleIds = new Set(h.contactRoles.filter((v) => v.opportunityId === id).map((v) => v.contactRoleId));
  for (const roleId of roleIds) {
    const role = h.contactRoles.filter((v) => v.contactRoleId === roleId).sort(byTime);
    const roleCreated = role.find((v) => v.createdDate !== null)?.createdDate ?? role[0]!.at;
    for (let i = 0; i < role.length; i++) {
      const v = role[i]!;
      if (v.deleted || v.opportunityId !== id || v.contactId === null) continue;
      const emails = emailsOf(h, v.contactId);
      for (const chat of h.chats) {
        if (!linked(chat, emails)) continue;
        if (chat.at < created - settings.attributionWindowDays * DAY_MS) continue;
        const state = lastAtOrBefore(chat.at);
        if (state && state.isClosed) continue;
        const t = Math.max(chat.at, roleCreated, created, i === 0 ? -Infinity : v.at);
        const next = role[i + 1];
        if (next && next.at <= t) continue;
        touches.push({ at: t, conversationId: chat.id, contactRoleId: roleId, teamId: chat.teamId });
      }
    }
  }
  touches.sort(compareTouch);
  const earliestPerChat = touches.filter(
    (t, i) => touches.findIndex((u) => u.conversationId === t.conversationId) === i,
  );
  const start = touches.find((t) => !teams || teams.has(t.teamId)) ?? null;
  return {
    opportunityId: id,
    start: start && strip(start),
    touches: earliestPerChat.map(strip),
    days: start ? referenceDays(settings.timeZone, versions, start.at) : [],
  };
}

const strip = ({ at, conversationId, contactRoleId }: ReferenceTouch): ReferenceTouch => ({
  at,
  conversationId,
  contactRoleId,
});

function compareTouch(a: ReferenceTouch, b: ReferenceTouch): number {
  if (a.at !== b.at) return a.at - b.at;
  if (a.conversationId !== b.conversationId) return a.conversationId < b.conversationId ? -1 : 1;
  return a.contactRoleId < b.contactRoleId ? -1 : a.contactRoleId > b.contactRoleId ? 1 : 0;
}

interface Totals {
  pipeline: bigint;
  closedWon: bigint;
  won: boolean;
  deleted: boolean;
  closed: boolean;
}

function totalsOf(state: OpportunityVersion | null): Totals {
  if (!state) return { pipeline: 0n, closedWon: 0n, won: false, deleted: false, closed: false };
  if (state.deleted) return { pipeline: 0n, closedWon: 0n, won: false, deleted: true, closed: false };
  const amount = state.amount ?? 0n;
  return {
    pipeline: amount,
    closedWon: state.isWon ? amount : 0n,
    won: state.isWon,
    deleted: false,
    closed: state.isClosed,
  };
}

/** Rules 5-6: every calendar day from the start day to the last version's day, end-of-day totals. */
function referenceDays(timeZone: string, versions: OpportunityVersion[], startAt: number): ReferenceDay[] {
  const startDay = localDay(timeZone, startAt);
  const dayOfVersion = versions.map((v) => localDay(timeZone, v.at));
  const endOf = (day: string) => {
    let state: OpportunityVersion | null = null;
    versions.forEach((v, i) => {
      if (dayOfVersion[i]! <= day) state = v;
    });
    return totalsOf(state);
  };
  const days = [...new Set([startDay, ...dayOfVersion.filter((d) => d > startDay)])].sort();
  const out: ReferenceDay[] = [];
  let prev: Totals | null = null;
  for (const day of days) {
    const cur = endOf(day);
    const before = prev ?? totalsOf(null);
    const dp = cur.pipeline - before.pipeline;
    const dc = cur.closedWon - before.closedWon;
    if (dp !== 0n || dc !== 0n) {
      out.push({
        day,
        pipeline: dp,
        closedWon: dc,
        pipelineReason: dp === 0n ? null : prev ? reasonFor(before, cur, false) : 'influence_started',
        closedWonReason: dc === 0n ? null : prev ? reasonFor(before, cur, true) : 'influence_started',
      });
    }
    prev = cur;
  }
  return out;
}

function reasonFor(prev: Totals, cur: Totals, closedWon: boolean): DeltaReason {
  if (cur.deleted && !prev.deleted) return 'deleted';
  if (prev.deleted && !cur.deleted) return 'restored';
  if (closedWon && !prev.won && cur.won) return 'won';
  if (closedWon && prev.won && !cur.won) return cur.closed ? 'lost' : 'reopened';
  return 'amount_changed';
}
