// The attribution engine: ATTRIBUTION.md rules 3-7 over one workspace's history. Pure: no I/O,
// no clock. The worker, the ledger, the replay tool and the verifier all call this one module.
import { calendarFor, dayFromNumber, type ZoneCalendar } from './calendar';
import type { AttributionSettings, ContactRoleVersion, History, OpportunityVersion } from './history';
import { LinkIndex } from './links';
import type { Cents } from './money';
import type { DailyDelta, DeltaReason, OpportunityAttribution, Touch } from './result';

/** Stamped on every ledger entry; bump it when a rule or its reading changes. */
export const ENGINE_VERSION = 'rules-v1.1/engine-3';

const DAY_MS = 86_400_000;

export interface AttributeOptions {
  /** Only chats of these teams count (rule 4). Absent: all teams. */
  teams?: ReadonlySet<string> | null;
  /** Recompute only these opportunities (the history must hold all their inputs). */
  opportunityIds?: Iterable<string>;
}

export function attribute(
  history: History,
  settings: AttributionSettings,
  options: AttributeOptions = {},
): OpportunityAttribution[] {
  const calendar = calendarFor(settings.timeZone);
  const links = new LinkIndex(history.contacts, history.leads, history.chats);
  const oppVersions = groupInOrder(history.opportunities, (v) => v.opportunityId);
  const rolesByOpp = rolesByOpportunity(history.contactRoles);
  const windowMs = settings.attributionWindowDays * DAY_MS;
  const ids = options.opportunityIds ? [...new Set(options.opportunityIds)] : [...oppVersions.keys()];
  ids.sort();

  const results: OpportunityAttribution[] = [];
  for (const id of ids) {
    const versions = oppVersions.get(id);
    if (!versions) continue;
    const ctx: OpportunityContext = { id, versions, roles: rolesByOpp.get(id) ?? [], links, calendar, windowMs };
    results.push(attributeOpportunity(ctx, options.teams ?? null));
  }
  return results;
}

interface OpportunityContext {
  id: string;
  versions: OpportunityVersion[];
  roles: ContactRoleVersion[][];
  links: LinkIndex;
  calendar: ZoneCalendar;
  windowMs: number;
}

function attributeOpportunity(ctx: OpportunityContext, teams: ReadonlySet<string> | null): OpportunityAttribution {
  const touches = earliestTouchPerConversation(ctx);
  const teamStarts = earliestPerTeam(touches);
  let start: Touch | null = null;
  for (const touch of teamStarts) {
    if (teams && !teams.has(touch.teamId)) continue;
    if (!start || touchBefore(touch, start)) start = touch;
  }
  return { opportunityId: ctx.id, start, teamStarts, touches, days: start ? dailyDeltas(ctx, start) : [] };
}

function earliestPerTeam(touches: Touch[]): Touch[] {
  const best = new Map<string, Touch>();
  for (const t of touches) {
    const current = best.get(t.teamId);
    if (!current || touchBefore(t, current)) best.set(t.teamId, t);
  }
  return [...best.values()].sort((a, b) => (a.teamId < b.teamId ? -1 : 1));
}

/** Rule 3 for every chat linked to a contact on one of the opportunity's roles. */
function earliestTouchPerConversation(ctx: OpportunityContext): Touch[] {
  const { versions, links } = ctx;
  const createdDate = versions.find((v) => v.createdDate !== null)?.createdDate ?? versions[0]!.at;
  const windowStart = createdDate - ctx.windowMs;
  const best = new Map<string, Touch>();

  for (const role of ctx.roles) {
    const roleCreated = role.find((v) => v.createdDate !== null)?.createdDate ?? role[0]!.at;
    role.forEach((v, i) => {
      if (v.deleted || v.opportunityId !== ctx.id || !v.contactId) return;
      // The first version stands for the role from its creation; later ones from their instant.
      const from = i === 0 ? -Infinity : v.at;
      const until = role[i + 1]?.at ?? Infinity; // a delete (or change) at or before t voids it
      for (const { chat, email } of links.chatsOf(v.contactId)) {
        if (chat.at < windowStart || closedAt(versions, chat.at)) continue;
        const t = Math.max(chat.at, roleCreated, createdDate, from);
        if (t >= until) continue;
        const current = best.get(chat.id);
        if (current && !touchBefore({ at: t, conversationId: chat.id, contactRoleId: v.contactRoleId }, current))
          continue;
        best.set(chat.id, {
          at: t,
          day: ctx.calendar.dayOf(t),
          conversationId: chat.id,
          teamId: chat.teamId,
          agentId: chat.agentId,
          contactId: v.contactId,
          contactRoleId: v.contactRoleId,
          versionIds: [v.versionId, ...links.linkVersions(email, v.contactId)],
        });
      }
    });
  }
  return [...best.values()].sort((a, b) => (touchBefore(a, b) ? -1 : 1));
}

type TouchKey = Pick<Touch, 'at' | 'conversationId' | 'contactRoleId'>;

/** Ties on t go to the smaller conversation id, then role id, so input order never matters. */
function touchBefore(a: TouchKey, b: TouchKey): boolean {
  if (a.at !== b.at) return a.at < b.at;
  if (a.conversationId !== b.conversationId) return a.conversationId < b.conversationId;
  return a.contactRoleId < b.contactRoleId;
}

/**
 * Whether the opportunity was closed at the instant (a chat before it existed is fine). A deleted
 * opportunity keeps the stage of its last version, as in Salesforce (rule 3, v1.1): its delete
 * version carries that state, so a chat while a closed one sits deleted finds it closed.
 */
function closedAt(versions: OpportunityVersion[], instant: number): boolean {
  return stateAt(versions, instant)?.isClosed === true;
}

/** The last version at or before the instant, or null before the first. */
function stateAt(versions: OpportunityVersion[], instant: number): OpportunityVersion | null {
  let lo = 0;
  let hi = versions.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (versions[mid]!.at <= instant) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? null : versions[lo - 1]!;
}

interface Value {
  pipeline: Cents;
  closedWon: Cents;
  won: boolean;
  deleted: boolean;
  closed: boolean;
}

/** Rule 5: the running totals an opportunity state contributes. */
function valueOf(state: OpportunityVersion | null): Value {
  if (!state || state.deleted) {
    return { pipeline: 0n, closedWon: 0n, won: false, deleted: state?.deleted ?? false, closed: false };
  }
  const amount = state.amount ?? 0n;
  return {
    pipeline: amount,
    closedWon: state.isWon ? amount : 0n,
    won: state.isWon,
    deleted: false,
    closed: state.isClosed,
  };
}

/** Rule 6: deltas of end-of-day totals, from the influence start day on. */
function dailyDeltas(ctx: OpportunityContext, start: Touch): DailyDelta[] {
  const { versions, calendar } = ctx;
  const dayOf = versions.map((v) => calendar.dayNumberOf(v.at));
  const startDay = calendar.dayNumberOf(start.at);
  const days: DailyDelta[] = [];

  let i = 0;
  let state: OpportunityVersion | null = null;
  while (i < versions.length && dayOf[i]! <= startDay) state = versions[i++]!;
  let prev = valueOf(state);
  const startCauses = { versions: start.versionIds, conversations: [start.conversationId] };
  pushDelta(days, startDay, valueOf(null), prev, 'influence_started', 'influence_started', {
    versions: [...(state ? [state.versionId] : []), ...startCauses.versions],
    conversations: startCauses.conversations,
  });

  while (i < versions.length) {
    const day = dayOf[i]!;
    const changed: string[] = [];
    while (i < versions.length && dayOf[i] === day) {
      state = versions[i++]!;
      changed.push(state.versionId);
    }
    const cur = valueOf(state);
    // Worth nothing on its start day, the opportunity's first booked entry still names the
    // chat that started its influence: every booked number traces back to a conversation.
    const first = days.length === 0;
    pushDelta(days, day, prev, cur, pipelineReason(prev, cur), closedWonReason(prev, cur), {
      versions: first ? [...changed, ...startCauses.versions] : changed,
      conversations: first ? startCauses.conversations : [],
    });
    prev = cur;
  }
  return days;
}

function pushDelta(
  days: DailyDelta[],
  day: number,
  prev: Value,
  cur: Value,
  pipelineWhy: DeltaReason,
  closedWonWhy: DeltaReason,
  causes: DailyDelta['causes'],
): void {
  const dp = cur.pipeline - prev.pipeline;
  const dc = cur.closedWon - prev.closedWon;
  if (dp === 0n && dc === 0n) return;
  days.push({
    day: dayFromNumber(day),
    pipeline: dp === 0n ? null : { delta: dp, total: cur.pipeline, reason: pipelineWhy },
    closedWon: dc === 0n ? null : { delta: dc, total: cur.closedWon, reason: closedWonWhy },
    causes,
  });
}

function pipelineReason(prev: Value, cur: Value): DeltaReason {
  if (cur.deleted && !prev.deleted) return 'deleted';
  if (prev.deleted && !cur.deleted) return 'restored';
  return 'amount_changed';
}

function closedWonReason(prev: Value, cur: Value): DeltaReason {
  if (cur.deleted && !prev.deleted) return 'deleted';
  if (prev.deleted && !cur.deleted) return 'restored';
  if (!prev.won && cur.won) return 'won';
  if (prev.won && !cur.won) return cur.closed ? 'lost' : 'reopened';
  return 'amount_changed';
}

function groupInOrder<T extends { at: number; seq: number }>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  for (const list of groups.values()) list.sort((a, b) => a.at - b.at || a.seq - b.seq);
  return groups;
}

/** Each role's versions in time order, under every opportunity any version names. */
function rolesByOpportunity(roleVersions: ContactRoleVersion[]): Map<string, ContactRoleVersion[][]> {
  const byOpp = new Map<string, ContactRoleVersion[][]>();
  for (const versions of groupInOrder(roleVersions, (v) => v.contactRoleId).values()) {
    const oppIds = new Set<string>();
    for (const v of versions) if (v.opportunityId) oppIds.add(v.opportunityId);
    for (const oppId of oppIds) {
      const list = byOpp.get(oppId);
      if (list) list.push(versions);
      else byOpp.set(oppId, [versions]);
    }
  }
  return byOpp;
}
