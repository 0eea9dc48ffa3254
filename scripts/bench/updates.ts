// The incremental case: on the workspace's last day, 1,000 opportunities get an amount change, and
// some of them a late chat from one of their contacts or a new contact role with a chat behind it.
import type { Chat, ContactRoleVersion, OpportunityVersion } from '../../src/attribution/history';
import { newChat } from './gen-chats';
import { HOUR_MS, sfId } from './spec';
import type { Workspace } from './workspace';

export interface IncrementalUpdate {
  /** The opportunities to recompute, ascending. */
  opportunityIds: string[];
  added: { opportunityVersions: number; chats: number; contactRoles: number };
}

const LATE_CHAT_SHARE = 0.2;
const LATE_ROLE_SHARE = 0.1;

/** Appends the updates to the workspace's history (in place) and names the opportunities touched. */
export function applyIncrementalUpdate(ws: Workspace, count: number): IncrementalUpdate {
  const { rng } = ws.ctx;
  const picked = rng.sample(ws.opps.ids.length, Math.min(count, ws.opps.ids.length));
  const chats: Chat[] = [];
  const roles: ContactRoleVersion[] = [];
  for (const i of picked) {
    ws.history.opportunities.push(amountChange(ws, i));
    const r = rng.next();
    if (r < LATE_CHAT_SHARE) chats.push(lateChatOfRoleContact(ws, i, chats.length));
    else if (r < LATE_CHAT_SHARE + LATE_ROLE_SHARE) addLateRole(ws, i, roles, chats);
  }
  ws.history.chats.push(...chats);
  ws.history.contactRoles.push(...roles);
  return {
    opportunityIds: picked.map((i) => ws.opps.ids[i]!),
    added: { opportunityVersions: picked.length, chats: chats.length, contactRoles: roles.length },
  };
}

/** An instant on the workspace's last day (New York), after every generated version. */
function lastDayInstant(ws: Workspace): number {
  return ws.ctx.instant(ws.ctx.range.end - 16 * HOUR_MS, ws.ctx.range.end - HOUR_MS);
}

function amountChange(ws: Workspace, i: number): OpportunityVersion {
  const { rng } = ws.ctx;
  const last = ws.opps.last[i]!;
  const amount =
    last.amount === null
      ? BigInt(rng.between(50, 2500) * 10_000)
      : rng.chance(0.7)
        ? (last.amount * 110n) / 100n
        : (last.amount * 80n) / 100n;
  const v = { ...last, versionId: `${last.opportunityId}:u`, at: lastDayInstant(ws), seq: ws.ctx.nextSeq(), amount };
  ws.opps.last[i] = v;
  return v;
}

function lateChatOfRoleContact(ws: Workspace, i: number, n: number): Chat {
  const { contacts, offsets } = ws.roles;
  const from = offsets[i]!;
  const c = contacts[from + ws.ctx.rng.int(offsets[i + 1]! - from)]!;
  return lateChat(ws, n, ws.people.contactEmails[c]!);
}

function addLateRole(ws: Workspace, i: number, roles: ContactRoleVersion[], chats: Chat[]): void {
  const c = ws.ctx.rng.int(ws.people.contactIds.length);
  const id = sfId('00K', ws.ctx.spec.contactRoles + roles.length);
  const createdDate = lastDayInstant(ws);
  roles.push({
    versionId: `${id}:0`,
    at: createdDate,
    seq: ws.ctx.nextSeq(),
    deleted: false,
    contactRoleId: id,
    opportunityId: ws.opps.ids[i]!,
    contactId: ws.people.contactIds[c]!,
    createdDate,
  });
  chats.push(lateChat(ws, chats.length, ws.people.contactEmails[c]!));
}

function lateChat(ws: Workspace, n: number, email: string): Chat {
  return newChat(ws.ctx, `conv-late-${n.toString().padStart(4, '0')}`, lastDayInstant(ws), [email]);
}
