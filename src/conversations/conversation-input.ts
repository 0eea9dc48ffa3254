// What a chat product sends us: a batch of conversations (POST /api/v1/conversations and the
// signed webhook carry the same body), and how one conversation becomes a row.
import { z } from 'zod';
import type { NewConversation } from '../history/record';
import { normalizeEmail } from '../attribution/history';
import { instantInput } from '../platform/dates';
import { conversationChannels, conversationInitiators } from '../platform/db/schema';

export const MAX_CONVERSATIONS_PER_BATCH = 1000;

const instant = instantInput;
/** Any text Postgres can store: everything but the NUL character. */
const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !s.includes('\u0000'), 'must not contain the NUL character (\\u0000)');
const id = text(255).trim().min(1, 'must not be empty');
// Visitors type what they type: captured values are kept as given (trimmed), never rejected for
// their format, so one odd answer cannot make a whole batch bounce.
const captured = text(1000).nullish();
/** A whole number within bounds, with a message that says them. */
const whole = (min: number, max: number, what: string) =>
  z
    .number({ error: `expected ${what} from ${min} to ${max}` })
    .int(`expected a whole number (${what}) from ${min} to ${max}`)
    .min(min, `expected ${what} from ${min} to ${max}`)
    .max(max, `expected ${what} from ${min} to ${max}`);
const MAX_MESSAGES = 100_000;

export const dataAsksInput = z
  .object({
    email: text(320).nullish(),
    name: captured,
    phone: captured,
    website: captured,
    company: captured,
  })
  .meta({
    id: 'DataAsks',
    description: 'What the visitor answered when the chat asked for it. Empty strings count as not given.',
  });

export const conversationInput = z
  .object({
    id: id.meta({ description: "The chat product's conversation id: sending it again updates the conversation." }),
    teamId: id.meta({ description: 'The team that handled the chat (required: the dashboard filters by it).' }),
    agentId: id.nullish().meta({ description: 'The agent who answered; absent for bot and missed chats.' }),
    startedAt: instant.meta({ description: 'When the visitor requested the chat (ISO 8601 with an offset).' }),
    endedAt: instant.nullish(),
    visitorId: text(255).nullish(),
    emails: z.array(text(320)).max(50).optional().meta({
      description:
        'Every email address captured in the conversation. These and dataAsks.email link the chat to Salesforce.',
    }),
    rating: z
      .number({ error: 'expected a number of fires from 0 to 3' })
      .int('expected a whole number of fires from 0 to 3')
      .min(0, 'expected a number of fires from 0 to 3')
      .max(3, 'expected a number of fires from 0 to 3')
      .nullish()
      .meta({ description: 'Fires, 0 to 3. Rated 1, 2 or 3 is a qualified chat.' }),
    qualified: z
      .boolean()
      .nullish()
      .meta({ description: "The chat product's own flag, stored; the metric follows the rating." }),
    meetingBookedAt: instant
      .nullish()
      .meta({ description: 'When a meeting was booked through the chat; counted on that day.' }),
    targetAccount: z.boolean().optional().meta({ description: 'The visitor was identified as a target account.' }),
    dataAsks: dataAsksInput.optional(),
    status: z.enum(['answered', 'missed', 'bot']).nullish().meta({
      description: 'answered: an agent replied; missed: the visitor asked and no agent answered; bot: only a bot.',
    }),
    channel: z.enum(conversationChannels).nullish(),
    acceptedAt: instant
      .nullish()
      .meta({ description: 'The first agent reply: wait and first response times end here. Not before startedAt.' }),
    initiatedBy: z
      .enum(conversationInitiators)
      .nullish()
      .meta({ description: 'Who opened the conversation: the visitor, an agent (a proactive invitation) or a bot.' }),
    messages: z
      .object({
        visitor: whole(0, MAX_MESSAGES, 'a number of messages').optional(),
        agent: whole(0, MAX_MESSAGES, 'a number of messages').optional(),
      })
      .strict()
      .optional()
      .meta({ description: 'Messages sent by the visitor and by agents (bots not counted).' }),
    avgResponseSeconds: z
      .number({ error: 'expected a number of seconds' })
      .min(0, 'must not be negative')
      .max(7 * 86_400, 'expected at most a week in seconds')
      .nullish()
      .meta({ description: "The chat product's average time for an agent to answer a visitor message, in seconds." }),
    tags: z
      .array(text(100).trim())
      .max(50)
      .optional()
      .meta({ description: 'Tags the agent or the chat product put on the conversation; blank ones are dropped.' }),
    csat: whole(1, 5, 'a satisfaction score')
      .nullish()
      .meta({ description: 'Customer satisfaction the visitor gave, 1 (bad) to 5 (good).' }),
    nps: whole(0, 10, 'a likelihood to recommend').nullish().meta({ description: 'Net Promoter answer, 0 to 10.' }),
    resolved: z.boolean().nullish().meta({ description: "The visitor's question was resolved in the chat." }),
    pageUrl: text(2048).nullish().meta({ description: 'The page the visitor chatted from.' }),
    agentName: text(200)
      .trim()
      .nullish()
      .meta({ description: "The agent's name: it names agentId in reports unless an admin named the agent." }),
  })
  .superRefine((c, ctx) => {
    if (c.endedAt && Date.parse(c.endedAt) < Date.parse(c.startedAt)) {
      ctx.addIssue({ code: 'custom', path: ['endedAt'], message: 'must not be before startedAt' });
    }
    if (c.acceptedAt && Date.parse(c.acceptedAt) < Date.parse(c.startedAt)) {
      ctx.addIssue({ code: 'custom', path: ['acceptedAt'], message: 'must not be before startedAt' });
    }
    if (c.agentName && !c.agentId) {
      ctx.addIssue({ code: 'custom', path: ['agentName'], message: 'give the agentId it names' });
    }
  })
  .meta({
    id: 'Conversation',
    description: 'The whole state of one conversation: a field left out is cleared on an update.',
  });

export const conversationBatch = z
  .object({
    conversations: z
      .array(conversationInput)
      .min(1, 'send at least one conversation')
      .max(
        MAX_CONVERSATIONS_PER_BATCH,
        `send at most ${MAX_CONVERSATIONS_PER_BATCH} conversations per request; split the batch`,
      ),
  })
  .superRefine(
    (batch, ctx) => {
      // Two versions of one conversation in a batch would make the result depend on their order.
      // Runs even when other fields are bad (so every bad field is named): items may be anything.
      const items: unknown[] = Array.isArray(batch?.conversations) ? batch.conversations : [];
      const first = new Map<string, number>();
      items.forEach((c, i) => {
        const id = typeof c === 'object' && c !== null && 'id' in c && typeof c.id === 'string' ? c.id.trim() : null;
        if (!id) return;
        const seen = first.get(id);
        if (seen === undefined) first.set(id, i);
        else
          ctx.addIssue({
            code: 'custom',
            path: ['conversations', i, 'id'],
            message: `repeats conversations[${seen}].id "${id}"; send each conversation once per batch`,
          });
      });
    },
    { when: () => true },
  )
  .meta({ id: 'ConversationBatch' });

export type ConversationInput = z.infer<typeof conversationInput>;
export type ConversationBatch = z.infer<typeof conversationBatch>;

const given = (v: string | null | undefined): string | null => {
  const t = v?.trim();
  return t ? t : null;
};

/**
 * The row for one conversation. Its `emails` are the captured ones followed by the data-ask email
 * (when not already among them), so both link the chat to contacts (ATTRIBUTION.md rule 2).
 */
export function toConversationRow(c: ConversationInput): NewConversation {
  const asks = c.dataAsks ?? {};
  const emails: string[] = [];
  const seen = new Set<string>();
  for (const raw of [...(c.emails ?? []), asks.email]) {
    const email = given(raw);
    const normalized = normalizeEmail(email);
    if (email === null || normalized === null || seen.has(normalized)) continue;
    seen.add(normalized);
    emails.push(email);
  }
  return {
    id: c.id,
    teamId: c.teamId,
    agentId: c.agentId ?? null,
    startedAt: new Date(c.startedAt),
    endedAt: c.endedAt ? new Date(c.endedAt) : null,
    visitorId: given(c.visitorId),
    emails,
    rating: c.rating ?? null,
    qualified: c.qualified ?? null,
    meetingBookedAt: c.meetingBookedAt ? new Date(c.meetingBookedAt) : null,
    targetAccount: c.targetAccount ?? false,
    capturedEmail: given(asks.email),
    capturedName: given(asks.name),
    capturedPhone: given(asks.phone),
    capturedWebsite: given(asks.website),
    capturedCompany: given(asks.company),
    status: c.status ?? null,
    channel: c.channel ?? null,
    acceptedAt: c.acceptedAt ? new Date(c.acceptedAt) : null,
    initiatedBy: c.initiatedBy ?? null,
    messagesVisitor: c.messages?.visitor ?? null,
    messagesAgent: c.messages?.agent ?? null,
    avgResponseSeconds: c.avgResponseSeconds ?? null,
    tags: [...new Set((c.tags ?? []).filter((t) => t !== ''))],
    csat: c.csat ?? null,
    nps: c.nps ?? null,
    resolved: c.resolved ?? null,
    pageUrl: given(c.pageUrl),
    agentName: given(c.agentName),
  };
}
