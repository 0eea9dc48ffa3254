// The state file on disk: read once at start, written after changes at most every 250 ms and
// once more, synchronously, on close. A write goes to "<file>.tmp" and is renamed over the file,
// so a crash leaves the old state or the new one, never half of one. The file holds live tokens,
// hence mode 0600.
import { closeSync, fchmodSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import { persistedState, type PersistedState } from './persisted-state';

export const SAVE_INTERVAL_MS = 250;

/** The state file cannot be read, restored or written; the message names the file. */
export class StateFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`fake-salesforce: ${message}`);
    this.name = 'StateFileError';
  }
}

/** A state file that cannot be used at start, with how to start afresh. */
export function unusableStateFile(file: string, problem: string): StateFileError {
  return new StateFileError(
    file,
    `${problem}. To start over with a new, empty org, delete ${file} ` +
      '(its records and tokens are lost; connections stored against the old org must be made again).',
  );
}

/** The saved state, or null when there is no file yet. */
export function readStateFile(file: string): PersistedState | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw unusableStateFile(file, `cannot read the state file ${file} (${(err as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw unusableStateFile(file, `the state file ${file} is not valid JSON (${(err as Error).message})`);
  }
  const parsed = persistedState.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw unusableStateFile(
      file,
      `the state file ${file} is corrupt or from another version of this test double (${where}${issue?.message ?? 'invalid'})`,
    );
  }
  return parsed.data;
}

/** Writes the file whole and atomically: a temporary file, flushed to disk, renamed over it. */
export function writeStateFile(file: string, state: PersistedState): void {
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    fchmodSync(fd, 0o600); // the mode given to openSync only applies when the file is new
    writeSync(fd, `${JSON.stringify(state)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

/** Saves a snapshot after changes: the first change schedules a write, later ones ride along. */
export class StateFileWriter {
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly file: string,
    private readonly snapshot: () => PersistedState,
  ) {
    mkdirSync(path.dirname(file), { recursive: true });
  }

  readonly schedule = (): void => {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => this.flushInBackground(), SAVE_INTERVAL_MS);
    // The server keeps the process alive; a pending save must not keep it alive on its own.
    this.timer.unref();
  };

  /** Writes now, synchronously; throws when the file cannot be written. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    try {
      writeStateFile(this.file, this.snapshot());
    } catch (err) {
      throw new StateFileError(this.file, `cannot write the state file ${this.file} (${(err as Error).message})`);
    }
  }

  /** The last write; changes after it are not saved. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.flush();
  }

  private flushInBackground(): void {
    try {
      this.flush();
    } catch (err) {
      // Not thrown from a timer, which would end the process: the next change or close() tries again.
      process.stderr.write(`${(err as Error).message}\n`);
    }
  }
}
