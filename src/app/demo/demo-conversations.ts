// The demo workspace's conversations: the local test Salesforce's demo chats (the ones that link
// to its contacts, the seed story among them) with the details a chat product sends (ratings,
// meetings, target accounts, data asks, and the operations fields: first reply, who opened it,
// messages, tags, channel, CSAT, NPS, resolution, page, agent names), plus anonymous visitor
// traffic that links to nobody, so every report has something to show. Deterministic: derived
// from the chats alone, so a restart writes exactly the same rows.
import { createHash } from 'node:crypto';
import type { NewConversation } from '../../history/record';
import type { DemoChat } from '../salesforce';

const MINUTE = 60_000;
const DAY = 86_400_000;
const AGENTS: Record<string, (string | null)[]> = {
  sales: ['agent-1', 'agent-2', 'agent-3'],
  support: ['agent-4', 'agent-5'],
};
export const DEMO_TEAMS = [
  { id: 'sales', name: 'Sales' },
  { id: 'support', name: 'Customer Success' },
];
export const DEMO_AGENT_NAMES: Record<string, string> = {
  'agent-1': 'Ana Ortiz',
  'agent-2': 'Ben Carter',
  'agent-3': 'Chloe Martin',
  'agent-4': 'Dev Patel',
  'agent-5': 'Eli Novak',
};
const TAGS = ['pricing', 'demo request', 'integration', 'billing', 'onboarding', 'bug'];
const CHANNELS = ['text', 'text', 'text', 'text', 'video', 'email', 'social', 'phone'] as const;
const PAGES = ['/pricing', '/product', '/integrations/salesforce', '/docs/getting-started', '/contact'];
const NOT_A_COMPANY = /@(mail|unknown)\.example$/;
const STORY_EMAIL = 'dana@acme.example';

/** Numbers in [0, 1) drawn from a label: the same label always gives the same numbers. */
function draws(label: string): () => number {
  const bytes = createHash('sha256').update(label).digest();
  let i = 0;
  return () => {
    const n = bytes.readUInt32BE((i++ % 8) * 4);
    return n / 2 ** 32;
  };
}

type Status = 'answered' | 'missed' | 'bot';

/** What a chat product reports about how the chat went, drawn from the chat's own numbers. */
function operations(
  r: () => number,
  status: Status,
  started: number,
  agentId: string | null,
): Partial<NewConversation> {
  const answered = status === 'answered';
  const proactive = answered && r() < 0.2;
  const visitorMessages = proactive && r() < 0.45 ? 0 : 1 + Math.floor(r() * 12);
  const tags = TAGS.filter(() => r() < 0.22);
  const rated = answered && r() < 0.55;
  return {
    acceptedAt: answered ? new Date(started + (5 + Math.floor(r() * (r() < 0.1 ? 600 : 110))) * 1000) : null,
    initiatedBy: status === 'bot' ? 'bot' : proactive ? 'agent' : 'visitor',
    messagesVisitor: status === 'missed' ? 1 : visitorMessages,
    messagesAgent: answered ? 1 + Math.floor(r() * 14) : 0,
    avgResponseSeconds: answered ? 8 + Math.floor(r() * 80) : null,
    tags,
    channel: CHANNELS[Math.floor(r() * CHANNELS.length)]!,
    csat: rated ? [2, 3, 4, 4, 5, 5, 5][Math.floor(r() * 7)]! : null,
    nps: rated && r() < 0.6 ? [3, 6, 7, 8, 9, 9, 10, 10][Math.floor(r() * 8)]! : null,
    resolved: answered ? r() < 0.8 : status === 'bot' ? r() < 0.4 : null,
    pageUrl: `https://www.demo-org.example${PAGES[Math.floor(r() * PAGES.length)]}`,
    agentName: agentId ? (DEMO_AGENT_NAMES[agentId] ?? null) : null,
  };
}

function linkedChat(c: DemoChat): NewConversation {
  const r = draws(c.id);
  const started = new Date(c.at);
  const email = c.emails[0] ?? null;
  const story = email === STORY_EMAIL;
  const rating = story ? 3 : email ? [0, 1, 2, 2, 3, 3][Math.floor(r() * 6)]! : 0;
  const meeting = story || (rating === 3 && r() < 0.6);
  return {
    id: c.id,
    teamId: c.teamId,
    agentId: c.agentId,
    startedAt: started,
    emails: c.emails,
    endedAt: new Date(started.getTime() + (6 + Math.floor(r() * 20)) * MINUTE),
    rating,
    qualified: rating > 0,
    meetingBookedAt: meeting ? new Date(started.getTime() + 5 * MINUTE) : null,
    targetAccount: story || (email !== null && !NOT_A_COMPANY.test(email) && r() < 0.7),
    capturedEmail: email,
    visitorId: `visitor-${c.id}`,
    status: c.agentId ? 'answered' : 'bot',
    ...operations(draws(`ops:${c.id}`), c.agentId ? 'answered' : 'bot', started.getTime(), c.agentId),
  };
}

/** Visitors who never gave an email: counted as chats (some as leads), linked to no contact. */
function visitorTraffic(from: number, to: number): NewConversation[] {
  const rows: NewConversation[] = [];
  for (let day = from; day <= to; day += DAY) {
    const label = new Date(day).toISOString().slice(0, 10);
    const r = draws(`traffic:${label}`);
    const weekend = [0, 6].includes(new Date(day).getUTCDay());
    const count = weekend ? 4 + Math.floor(r() * 5) : 8 + Math.floor(r() * 10);
    for (let i = 0; i < count; i++) {
      const v = draws(`visit:${label}:${i}`);
      const teamId = v() < 0.65 ? 'sales' : 'support';
      const kind = v();
      const status = kind < 0.12 ? 'missed' : kind < 0.3 ? 'bot' : 'answered';
      const agents = AGENTS[teamId]!;
      const started = day + (8 * 60 + Math.floor(v() * 10 * 60)) * MINUTE;
      const rating = status === 'answered' ? [0, 0, 1, 2, 3][Math.floor(v() * 5)]! : null;
      const gaveDetails = status !== 'missed' && v() < 0.35;
      const agentId = status === 'answered' ? agents[Math.floor(v() * agents.length)]! : null;
      rows.push({
        id: `demo-visit-${label}-${i + 1}`,
        teamId,
        agentId,
        startedAt: new Date(started),
        endedAt: new Date(started + (3 + Math.floor(v() * 15)) * MINUTE),
        emails: [],
        visitorId: `visitor-${label}-${i + 1}`,
        rating,
        qualified: rating !== null && rating > 0,
        meetingBookedAt: rating === 3 && v() < 0.3 ? new Date(started + 4 * MINUTE) : null,
        targetAccount: v() < 0.18,
        status,
        ...operations(draws(`ops:${label}:${i}`), status, started, agentId),
        capturedName: gaveDetails ? 'Website visitor' : null,
        capturedCompany: gaveDetails && v() < 0.5 ? 'Not given' : null,
      });
    }
  }
  return rows;
}

export function demoConversations(chats: DemoChat[]): NewConversation[] {
  if (chats.length === 0) return [];
  const instants = chats.map((c) => Date.parse(c.at));
  const first = Math.floor(Math.min(...instants) / DAY) * DAY;
  // The demo org's "yesterday": the seed story's last chat is three days before the seeding day.
  const last = Math.floor(Math.max(...instants) / DAY) * DAY + 2 * DAY;
  return [...chats.map(linkedChat), ...visitorTraffic(first, last)];
}
