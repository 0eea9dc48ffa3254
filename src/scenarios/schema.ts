// The scenario file format of ATTRIBUTION.md, as zod schemas: the one definition of its shape.
import { z } from 'zod';
import { isValidTimeZone, TIME_ZONE_HINT } from '../attribution/calendar';
import { centsFromNumber, parseCents } from '../attribution/money';

const instant = z.iso.datetime({ offset: true });
const id = z.string().min(1);
const amount = z
  .union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/, 'expected a decimal string'), z.null()])
  .superRefine((value, ctx) => {
    if (value === null) return;
    try {
      if (typeof value === 'number') centsFromNumber(value);
      else parseCents(value);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
    }
  });
const money = z.string().regex(/^-?\d+\.\d{2}$/, 'expected a decimal string with two places');

const chat = z.object({
  type: z.literal('chat'),
  at: instant,
  id,
  teamId: id,
  agentId: id.nullish(),
  email: z.string().nullish(),
  emails: z.array(z.string()).optional(),
});
const contact = z.object({ type: z.literal('contact'), at: instant, id, email: z.string().nullable() });
const lead = z.object({
  type: z.literal('lead'),
  at: instant,
  id,
  email: z.string().nullable(),
  convertedContactId: id.nullish(),
});
const opportunity = z.object({
  type: z.literal('opportunity'),
  at: instant,
  id,
  amount,
  stageName: z.string(),
  isClosed: z.boolean(),
  isWon: z.boolean(),
  createdDate: instant.optional(),
});
const contactRole = z.object({
  type: z.literal('contactRole'),
  at: instant,
  id,
  opportunityId: id,
  contactId: id,
  createdDate: instant.optional(),
});
const deletion = z.object({
  type: z.literal('delete'),
  at: instant,
  id,
  object: z.enum(['opportunity', 'contactRole', 'contact', 'lead']),
});

export const scenarioEvent = z.discriminatedUnion('type', [chat, contact, lead, opportunity, contactRole, deletion]);

const dailyRow = z.object({ date: z.iso.date(), pipelineInfluenced: money, closedWonInfluenced: money });
const series = z.object({ daily: z.array(dailyRow) });

export const scenarioFile = z.object({
  name: z.string().optional(),
  workspace: z
    .object({
      timezone: z.string().refine(isValidTimeZone, TIME_ZONE_HINT).default('UTC'),
      attributionWindowDays: z.number().int().min(0).max(3650).default(90),
    })
    .default({ timezone: 'UTC', attributionWindowDays: 90 }),
  events: z.array(scenarioEvent),
  expected: series.extend({ teams: z.record(z.string(), series).optional() }).optional(),
});

export type ScenarioEvent = z.infer<typeof scenarioEvent>;
export type ScenarioFile = z.infer<typeof scenarioFile>;
export type ExpectedDaily = z.infer<typeof dailyRow>;
