// A helper process this one starts and owns (the local test Salesforce): started, awaited until it
// prints its ready line (one JSON line on stdout), and stopped with SIGTERM. Its stderr is for
// people: passed on line by line, and the last lines are kept for error messages.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { z } from 'zod';

export interface ChildOptions<S extends z.ZodType> {
  /** What it is, for messages ("the local test Salesforce"). */
  name: string;
  command: string;
  args: string[];
  cwd: string;
  /** The shape of the ready line. */
  ready: S;
  /** How long it may take to print the ready line before it is killed and the start fails. */
  timeoutMs: number;
  onStderrLine?: (line: string) => void;
}

export interface ReadyChild<T> {
  ready: T;
  pid: number | undefined;
  /** SIGTERM, then waits for the exit (SIGKILL after stopTimeoutMs); throws if it did not exit cleanly. */
  stop(stopTimeoutMs?: number): Promise<void>;
}

const KEPT_LINES = 40;

export async function startChild<S extends z.ZodType>(options: ChildOptions<S>): Promise<ReadyChild<z.output<S>>> {
  // With an IPC channel the child sees its parent go away (even when SIGKILLed) and can stop itself.
  const child = spawn(options.command, options.args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => {
    stderr.push(line);
    if (stderr.length > KEPT_LINES) stderr.shift();
    options.onStderrLine?.(line);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const said = () => (stderr.length > 0 ? `; it said:\n${stderr.join('\n')}` : '');

  const ready = await new Promise<z.output<S>>((resolve, reject) => {
    let settled = false;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${options.name} did not start: ${why}${said()}`));
    };
    const timer = setTimeout(() => fail(`no ready line within ${options.timeoutMs} ms`), options.timeoutMs);
    child.once('error', (err) => fail(`${options.command} could not be run (${err.message})`));
    void exited.then(({ code, signal }) => fail(`it exited (${signal ?? `code ${code}`}) before it was ready`));
    createInterface({ input: child.stdout! }).once('line', (line) => {
      const parsed = options.ready.safeParse(parseJson(line));
      if (!parsed.success) return fail(`its first line on stdout is not the ready line: ${line.slice(0, 200)}`);
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(parsed.data);
    });
  });

  return {
    ready,
    pid: child.pid,
    stop: (stopTimeoutMs = 10_000) => stop(child, exited, stopTimeoutMs, options.name, said),
  };
}

async function stop(
  child: ChildProcess,
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>,
  timeoutMs: number,
  name: string,
  said: () => string,
): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  const force = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const { code, signal } = await exited;
  clearTimeout(force);
  if (code !== 0) throw new Error(`${name} did not stop cleanly (${signal ?? `exit code ${code}`})${said()}`);
}

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
