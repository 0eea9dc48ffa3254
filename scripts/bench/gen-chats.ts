// Conversations over the year: ~8 teams, ~200 agents, mostly one captured email, some none or two.
// About 40% of captured emails are addresses some contact or converted lead has: they link.
import type { Chat } from '../../src/attribution/history';
import { TEAMS, type GenContext } from './spec';

/** Team weights: sales and support see most of the traffic. */
const TEAM_WEIGHTS = [0.3, 0.25, 0.1, 0.1, 0.08, 0.07, 0.05, 0.05];
const LINKABLE_SHARE = 0.4;
/** Anonymous visitors: a pool with repeat visitors, none of them known to Salesforce. */
const VISITORS = 400_000;

export function generateChats(ctx: GenContext, linkableEmails: string[]): Chat[] {
  const chats: Chat[] = [];
  for (let i = 0; i < ctx.spec.chats; i++) {
    const at = ctx.instant(ctx.range.start, ctx.range.baseEnd);
    chats.push(newChat(ctx, `conv-${i.toString().padStart(7, '0')}`, at, capturedEmails(ctx, linkableEmails)));
  }
  return chats;
}

/** Emails as the loader hands them to the engine: already normalized. */
export function newChat(ctx: GenContext, id: string, at: number, emails: string[]): Chat {
  const { rng } = ctx;
  return {
    id,
    at,
    teamId: pickTeam(ctx),
    agentId: rng.chance(0.05) ? null : `agent-${rng.int(ctx.spec.agents)}`, // 5% handled by a bot
    emails,
  };
}

function capturedEmails(ctx: GenContext, linkableEmails: string[]): string[] {
  const r = ctx.rng.next();
  const count = r < 0.1 ? 0 : r < 0.95 ? 1 : 2;
  return Array.from({ length: count }, () =>
    ctx.rng.chance(LINKABLE_SHARE) ? ctx.rng.pick(linkableEmails) : `v${ctx.rng.int(VISITORS)}@visitor.example`,
  );
}

function pickTeam(ctx: GenContext): string {
  let r = ctx.rng.next();
  for (let t = 0; t < TEAMS.length; t++) {
    r -= TEAM_WEIGHTS[t]!;
    if (r < 0) return TEAMS[t]!;
  }
  return TEAMS[TEAMS.length - 1]!;
}
