// The generated org of the chaos round and of the crash test: a few thousand records with history
// over two months, in a seeded random order, seeded into the local test Salesforce through its
// control API (`batch`); and the chats that link to its contacts.

export interface ChaosChat {
  id: string;
  teamId: string;
  agentId: string;
  startedAt: string;
  emails: string[];
}

type Call = { command: 'org.create' | 'org.update'; args: Record<string, unknown> };
/** The double's `batch` control command: many calls in one request, their results in order. */
export type SeedBatch = (calls: Call[]) => Promise<unknown[]>;

/** `scale` 1: 1,200 contacts, 900 opportunities (1,800 roles, 900 to 1,800 updates), 600 chats. */
export async function seedChaosOrg(send: SeedBatch, scale: number, seed: number): Promise<ChaosChat[]> {
  let s = seed;
  const rand = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const day = (d: number, h = 9) => new Date(Date.UTC(2026, 1, 1 + d, h, Math.floor(rand() * 60))).toISOString();
  const batch = async (calls: Call[]) => {
    const out: string[] = [];
    for (let i = 0; i < calls.length; i += 500) out.push(...((await send(calls.slice(i, i + 500))) as string[]));
    return out;
  };
  const nContacts = Math.round(1200 * scale);
  const contacts = await batch(
    Array.from({ length: nContacts }, (_, i) => ({
      command: 'org.create' as const,
      args: {
        type: 'Contact',
        fields: { FirstName: 'C', LastName: `n${i}`, Email: `c${i}@corp${i % 97}.example` },
        at: day(Math.floor(rand() * 20)),
      },
    })),
  );
  const stories = Array.from({ length: Math.round(900 * scale) }, (_, i) => {
    const created = Math.floor(rand() * 40);
    const opportunity = {
      type: 'Opportunity',
      fields: {
        Name: `Deal ${i}`,
        Amount: 1000 * (1 + Math.floor(rand() * 200)),
        StageName: 'Prospecting',
        CloseDate: '2026-06-30',
      },
      at: day(created),
    };
    const roles = [0, 1].map(() => ({
      contactId: contacts[Math.floor(rand() * contacts.length)]!,
      at: day(created, 10),
    }));
    const updates: { fields: Record<string, unknown>; at: string }[] = [
      {
        fields: { Amount: 1000 * (1 + Math.floor(rand() * 300)), StageName: 'Negotiation/Review' },
        at: day(created + 3),
      },
    ];
    if (rand() < 0.4)
      updates.push({ fields: { StageName: rand() < 0.6 ? 'Closed Won' : 'Closed Lost' }, at: day(created + 8) });
    return { opportunity, roles, updates };
  });
  const opportunities = await batch(
    stories.map((story) => ({ command: 'org.create' as const, args: story.opportunity })),
  );
  await batch(
    stories.flatMap((story, i) => [
      ...story.roles.map((role) => ({
        command: 'org.create' as const,
        args: {
          type: 'OpportunityContactRole',
          fields: { OpportunityId: opportunities[i]!, ContactId: role.contactId, Role: 'Decision Maker' },
          at: role.at,
        },
      })),
      ...story.updates.map((update) => ({
        command: 'org.update' as const,
        args: { type: 'Opportunity', id: opportunities[i]!, ...update },
      })),
    ]),
  );
  return Array.from({ length: Math.round(600 * scale) }, (_, i) => {
    const k = Math.floor(rand() * nContacts); // a contact's email: about every chat links
    return {
      id: `chat-${i}`,
      teamId: i % 3 ? 'sales' : 'support',
      agentId: 'a1',
      startedAt: day(Math.floor(rand() * 45), 8),
      emails: [`c${k}@corp${k % 97}.example`],
    };
  });
}
