// The service's processes as the chaos round runs them: `npm run start:worker` and
// `npm run start:api` children over the round's database and Redis, killed at will.
import { spawn, type ChildProcess } from 'node:child_process';
import { projectRoot } from '../../src/platform/paths';
import path from 'node:path';

export interface ServiceProcess {
  child: ChildProcess;
  /** The API's URL for --role=api; null for a worker. */
  url: string | null;
  exited: Promise<number | null>;
  /** Its output so far (JSON log lines), for a failure's detail. */
  output(): string;
  /** We asked it to stop (so an exit is no crash). */
  readonly stopRequested: boolean;
  kill(signal: NodeJS.Signals): Promise<void>;
}

const READY = { worker: '"msg":"worker started"', api: '"msg":"ready: open ' } as const;

export async function startServiceProcess(
  role: 'worker' | 'api',
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<ServiceProcess> {
  const child = spawn(process.execPath, [path.join('scripts', 'run.js'), 'src/app/main.ts', `--role=${role}`], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (d: Buffer) => {
    out += d.toString();
    if (out.length > 2_000_000) out = out.slice(-1_000_000); // a long round: the tail is what explains a failure
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + timeoutMs;
  while (!out.includes(READY[role])) {
    if (gone) throw new Error(`the ${role} exited before it was ready:\n${out.slice(-4000)}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the ${role} was not ready within ${timeoutMs} ms:\n${out.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  const url = role === 'api' ? (/"url":"(http:\/\/[^"]+)"/.exec(out)?.[1] ?? null) : null;
  let stopRequested = false;
  return {
    child,
    url,
    exited,
    output: () => out,
    get stopRequested() {
      return stopRequested;
    },
    async kill(signal) {
      stopRequested = true;
      if (!gone) child.kill(signal);
      await exited;
    },
  };
}
