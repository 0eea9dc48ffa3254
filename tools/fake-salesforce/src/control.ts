// The control API: what a test does to an in-process fake, for a fake run as its own process
// (main.ts --control-token). POST /__control/<command> with the token in x-control-token and the
// arguments as a JSON object (POST /__control/batch runs many); the answer is {"result": ...} or
// {"error": "..."}, and the commands are an allow-list checked with zod. It sits in front
// of the injected faults and outside /services/data, so it is never faulted nor counted as API use.
import { createHash, timingSafeEqual } from 'node:crypto';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { z, ZodError } from 'zod';
import type { FakeSalesforce } from '.';
import { RestError } from './errors';
import { faultSpec, type FaultHandle } from './faults';

/** An instant as FakeOrg takes it (ISO-8601; a Date arrives as one); checked there. */
const at = z.string().optional();
const record = { type: z.string().min(1), id: z.string().min(1) };
const fields = z.record(z.string(), z.unknown());
const none = z.strictObject({});
/** A RegExp does not survive JSON: it travels as its source and flags. */
const regExp = z.object({ source: z.string(), flags: z.string().default('') }).transform(({ source, flags }, ctx) => {
  try {
    return new RegExp(source, flags);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
    return z.NEVER;
  }
});

/** Injected faults by number, so a client can ask about or remove the one it injected. */
class NumberedFaults {
  private readonly handles = new Map<number, FaultHandle>();
  private last = 0;

  add(handle: FaultHandle): number {
    this.handles.set(++this.last, handle);
    return this.last;
  }

  get(id: number): FaultHandle {
    const handle = this.handles.get(id);
    if (!handle) throw new Error(`no injected fault ${id} (it was removed or cleared)`);
    return handle;
  }

  remove(id: number): void {
    this.get(id).remove();
    this.handles.delete(id);
  }

  clear(): void {
    this.handles.clear();
  }
}

type Run<S extends z.ZodType, R> = (fake: FakeSalesforce, args: z.output<S>, faults: NumberedFaults) => R;
const nothing = (_done: void): null => null;
/** One command: its arguments' shape and what it does; results are JSON (null for nothing). */
const command = <S extends z.ZodType, R>(args: S, run: Run<S, R>) => ({ args, run });

const COMMANDS = {
  isEmpty: command(none, (fake) => fake.isEmpty),
  seedDemoOrg: command(none, (fake) => fake.seedDemoOrg()),
  demoChats: command(none, (fake) => fake.demoChats()),
  seedScenario: command(z.strictObject({ file: z.unknown() }), (fake, { file }) => {
    const seed = fake.seedScenario(file);
    return { chats: seed.chats, ids: Object.fromEntries(seed.ids) };
  }),
  generateOrg: command(
    z.strictObject({ opportunities: z.number().int().min(1).max(2_000_000), seed: z.number().int() }),
    (fake, spec) => fake.generateOrg(spec),
  ),
  changeOpportunities: command(
    z.strictObject({ count: z.number().int().min(1), seed: z.number().int() }),
    (fake, { count, seed }) => fake.changeOpportunities(count, seed),
  ),
  idFor: command(z.strictObject({ scenarioId: z.string() }), (fake, { scenarioId }) => fake.idFor(scenarioId) ?? null),
  'org.create': command(z.strictObject({ type: record.type, fields, at }), (fake, { type, fields, at }) =>
    fake.org.create(type, fields, { at }),
  ),
  'org.update': command(z.strictObject({ ...record, fields, at }), (fake, { type, id, fields, at }) =>
    nothing(fake.org.update(type, id, fields, { at })),
  ),
  'org.delete': command(z.strictObject({ ...record, at }), (fake, { type, id, at }) =>
    nothing(fake.org.delete(type, id, { at })),
  ),
  'org.hardDelete': command(z.strictObject({ ...record, at }), (fake, { type, id, at }) =>
    nothing(fake.org.hardDelete(type, id, { at })),
  ),
  'org.get': command(z.strictObject(record), (fake, { type, id }) => fake.org.get(type, id) ?? null),
  'org.query': command(
    z.strictObject({ soql: z.string().min(1), includeDeleted: z.boolean().optional() }),
    (fake, { soql, includeDeleted }) => fake.org.query(soql, { includeDeleted }),
  ),
  'org.convertLead': command(
    z.strictObject({
      leadId: z.string().min(1),
      contactId: z.string().min(1),
      accountId: z.string().optional(),
      opportunityId: z.string().optional(),
      at,
    }),
    (fake, { leadId, ...into }) => nothing(fake.org.convertLead(leadId, into)),
  ),
  'org.addStage': command(
    z.strictObject({
      name: z.string().min(1),
      isClosed: z.boolean(),
      isWon: z.boolean(),
      probability: z.number().min(0).max(100),
      at,
    }),
    (fake, { at, ...spec }) => fake.org.addStage(spec, { at }),
  ),
  'org.addUser': command(
    z.strictObject({ firstName: z.string().min(1), lastName: z.string().min(1), email: z.string().min(3), at }),
    (fake, { at, ...user }) => fake.org.addUser(user, { at }),
  ),
  apiUsage: command(none, (fake) => fake.apiUsage),
  setApiUsage: command(z.strictObject({ n: z.number().int().min(0) }), (fake, { n }) => nothing(fake.setApiUsage(n))),
  injectFault: command(z.strictObject({ ...faultSpec.shape, match: regExp }), (fake, spec, faults) => ({
    id: faults.add(fake.injectFault(spec)),
  })),
  /** How often an injected fault struck, and how many more times it will. */
  fault: command(z.strictObject({ id: z.number().int() }), (_fake, { id }, faults) => {
    const { hits, remaining } = faults.get(id);
    return { hits, remaining };
  }),
  removeFault: command(z.strictObject({ id: z.number().int() }), (_fake, { id }, faults) => nothing(faults.remove(id))),
  clearFaults: command(none, (fake, _args, faults) => {
    faults.clear();
    return nothing(fake.clearFaults());
  }),
  revokeAllTokens: command(none, (fake) => nothing(fake.revokeAllTokens())),
  failBulkJobs: command(
    z.strictObject({
      object: z.string().min(1).nullable(),
      state: z.enum(['Failed', 'Aborted']).optional(),
      errorMessage: z.string().optional(),
    }),
    (fake, { object, state, errorMessage }) => nothing(fake.failBulkJobs(object, state, errorMessage)),
  ),
  hideField: command(
    z.strictObject({ object: z.string().min(1), field: z.string().min(1), hidden: z.boolean().optional() }),
    (fake, { object, field, hidden }) => nothing(fake.hideField(object, field, hidden)),
  ),
  setApiAccess: command(z.strictObject({ enabled: z.boolean() }), (fake, { enabled }) =>
    nothing(fake.setApiAccess(enabled)),
  ),
  deactivateUser: command(none, (fake) => nothing(fake.deactivateUser())),
  expireAccessTokens: command(none, (fake) => nothing(fake.expireAccessTokens())),
  approveAuthorization: command(
    z.strictObject({ authorizeUrl: z.url(), decision: z.enum(['allow', 'deny']).default('allow') }),
    async (fake, { authorizeUrl, decision }) => (await fake.approveAuthorization(authorizeUrl, decision)).toString(),
  ),
  setClock: command(z.strictObject({ now: z.string().nullable() }), (fake, { now }) => nothing(fake.setClock(now))),
};

export type ControlCommand = keyof typeof COMMANDS;
/** The JSON arguments of a command, as a client sends them. */
export type ControlArgs<C extends ControlCommand> = z.input<(typeof COMMANDS)[C]['args']>;
/** The JSON result of a command, as a client receives it. */
export type ControlResult<C extends ControlCommand> = Awaited<ReturnType<(typeof COMMANDS)[C]['run']>>;
/** One call of a batch. */
export type ControlCall = { [C in ControlCommand]: { command: C; args?: ControlArgs<C> } }[ControlCommand];

/** A command that could not be done: the status to answer and why. */
class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const isCommand = (name: string): name is ControlCommand => Object.hasOwn(COMMANDS, name);
/**
 * batch {calls: [{command, args}]}: many commands in one request, in order, for seeding big orgs
 * without a round trip per record; the results in order, or the first refusal (earlier calls stay done).
 */
const batchArgs = z.strictObject({
  calls: z.array(z.strictObject({ command: z.string(), args: z.unknown().optional() })),
});

export function controlRouter(token: string, fake: FakeSalesforce): Router {
  const faults = new NumberedFaults();
  const execute = async (name: string, body: unknown): Promise<unknown> => {
    if (!isCommand(name)) {
      throw new Refusal(
        404,
        `unknown control command "${name}"; the commands are: ${Object.keys(COMMANDS).join(', ')}, batch`,
      );
    }
    const { args, run } = COMMANDS[name] as { args: z.ZodType; run: Run<z.ZodType, unknown> };
    const parsed = args.safeParse(body ?? {});
    if (!parsed.success) throw new Refusal(400, `${name}: ${issues(parsed.error)}`);
    try {
      return (await run(fake, parsed.data, faults)) ?? null;
    } catch (err) {
      // A command that fails was asked for something the org refuses (an unknown field, a second
      // demo seed, a bad scenario): the caller's to fix, so 400 (or the REST status) with the reason.
      throw new Refusal(err instanceof RestError ? err.status : 400, `${name}: ${reasonOf(err)}`);
    }
  };
  const batch = async (body: unknown): Promise<unknown[]> => {
    const parsed = batchArgs.safeParse(body ?? {});
    if (!parsed.success) throw new Refusal(400, `batch: ${issues(parsed.error)}`);
    const results: unknown[] = [];
    for (const [i, call] of parsed.data.calls.entries()) {
      try {
        results.push(await execute(call.command, call.args));
      } catch (err) {
        const refusal = err as Refusal;
        throw new Refusal(refusal.status, `batch: calls[${i}] (${i} done before it): ${refusal.message}`);
      }
    }
    return results;
  };

  const router = Router();
  router.use(requireToken(token));
  router.post('/:command', express.json({ limit: '100mb' }), async (req: Request, res: Response) => {
    const name = String(req.params.command);
    try {
      res.json({ result: await (name === 'batch' ? batch(req.body) : execute(name, req.body)) });
    } catch (err) {
      if (!(err instanceof Refusal)) throw err;
      res.status(err.status).json({ error: err.message });
    }
  });
  router.use(
    (req: Request, res: Response) =>
      void res
        .status(405)
        .json({ error: `the control API takes POST /__control/<command>, not ${req.method} ${req.originalUrl}` }),
  );
  router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    // A body that is not JSON or too large (body-parser gives those a status), or a bug here.
    const status = (err as { status?: number }).status ?? 500;
    res.status(status).json({ error: `the control request failed: ${(err as Error).message}` });
  });
  return router;
}

function reasonOf(err: unknown): string {
  if (err instanceof ZodError) return issues(err);
  if (err instanceof RestError) return `${err.errorCode}: ${err.message}`;
  return (err as Error).message.replace(/^fake-salesforce: /, '');
}

/** 403 unless x-control-token is the token (compared in constant time). */
function requireToken(token: string) {
  const expected = digest(token);
  return (req: Request, res: Response, next: NextFunction): void => {
    const given = req.get('x-control-token');
    if (given !== undefined && timingSafeEqual(digest(given), expected)) return next();
    res
      .status(403)
      .json({ error: 'the control API needs the x-control-token header with the token given to --control-token' });
  };
}

const digest = (text: string) => createHash('sha256').update(text).digest();

function issues(err: ZodError): string {
  return err.issues.map((i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`).join('; ');
}
