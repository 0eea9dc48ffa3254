// The local test Salesforce (tools/fake-salesforce, a test double) as a process of its own: where
// its program is, the ready line it prints, and its control API. src/ never imports tools/: it
// runs the double like any other program and talks to it over HTTP, so production code and the
// build never contain it (and a production image, which leaves tools/ out, cannot start it).
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { startChild } from '../platform/child-process';
import { AppError } from '../platform/errors';
import { projectRoot } from '../platform/paths';

export const LOCAL_SALESFORCE_MAIN = path.join(projectRoot, 'tools', 'fake-salesforce', 'src', 'main.ts');

const readyLine = z.object({
  ready: z.literal(true),
  url: z.url(),
  orgId: z.string(),
  userId: z.string(),
  restored: z.boolean(),
});

const controlAnswer = z.union([z.object({ error: z.string() }), z.object({ result: z.unknown() })]);

export interface LocalSalesforceProcess {
  /** Login URL and instance URL alike. */
  url: string;
  orgId: string;
  userId: string;
  /** The org came from the state file. */
  restored: boolean;
  /** Its process id (benchmarks read its CPU time). */
  pid: number | undefined;
  /** Runs a control command (tools/fake-salesforce/README.md lists them); its JSON result. */
  control(command: string, args?: Record<string, unknown>): Promise<unknown>;
  /** SIGTERM, and waits until it has written its state file and exited. */
  close(): Promise<void>;
}

export interface LocalSalesforceOptions {
  /** Each line it writes to stderr (its banner, unexpected errors). */
  onStderrLine?: (line: string) => void;
  /** How long it may take to start (tsx compiles it on the first start). */
  timeoutMs?: number;
  /** Its program; LOCAL_SALESFORCE_MAIN unless a test points elsewhere. */
  main?: string;
}

/** Starts tools/fake-salesforce/src/main.ts with these options (and a control token of its own). */
export async function startLocalSalesforce(
  args: string[],
  options: LocalSalesforceOptions = {},
): Promise<LocalSalesforceProcess> {
  const main = options.main ?? LOCAL_SALESFORCE_MAIN;
  if (!existsSync(main)) {
    throw new AppError(
      'misconfigured',
      `the local test Salesforce is not part of this installation (${main} is missing; ` +
        'a production image leaves tools/ out): set SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET to connect real orgs, or LOCAL_SALESFORCE=off',
    );
  }
  // `=` form: a base64url token may start with '-', which parseArgs would read as an option.
  const token = randomBytes(24).toString('base64url');
  const child = await startChild({
    name: 'the local test Salesforce',
    command: process.execPath,
    args: [path.join(projectRoot, 'scripts', 'run.js'), main, ...args, `--control-token=${token}`],
    cwd: projectRoot,
    ready: readyLine,
    timeoutMs: options.timeoutMs ?? 30_000,
    onStderrLine: options.onStderrLine,
  });
  const { url, orgId, userId, restored } = child.ready;
  return {
    url,
    orgId,
    userId,
    restored,
    pid: child.pid,
    control: (command, args = {}) => control(url, token, command, args),
    close: () => child.stop(),
  };
}

async function control(url: string, token: string, command: string, args: Record<string, unknown>): Promise<unknown> {
  const res = await fetch(`${url}/__control/${command}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-control-token': token },
    body: JSON.stringify(args),
  });
  const text = await res.text();
  const answer = controlAnswer.safeParse(parseJson(text));
  if (!answer.success)
    throw new Error(
      `the local test Salesforce answered ${command} with HTTP ${res.status} and no control answer: ${text.slice(0, 200)}`,
    );
  if ('error' in answer.data)
    throw new Error(`the local test Salesforce refused ${command} (HTTP ${res.status}): ${answer.data.error}`);
  return answer.data.result;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
