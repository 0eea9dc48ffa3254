// The state file: an append-only log of JSON lines, never rewritten whole on a change.
//
//   line 1     the header: format, version 2, the org's identity, each object's field order
//   then       one line per record, ["Opportunity", "006…", false, …] (values in that order),
//              and lines for what is not a record: {"gone": type, "id"} (hard delete),
//              {"deleted": entry} / {"undeleted": id} (getDeleted's log), {"ids": n},
//              {"tokens": …}, {"apiUsage": …}, {"demo": …}, {"scenarioIds": …}
//
// Replay reads the lines in order (a later line for the same record or state wins). Changes are
// appended at most every 250 ms, each batch written and fsync'd at once; a crash loses at most the
// last batch, and a batch torn by the crash (a last line without its newline) is left out on
// replay and cut off before the next append. Compaction writes a snapshot (the header, then every
// record, a line each, streamed) to "<file>.tmp", flushes it and renames it over the file: after
// a generated org, on a new org, when replay read more than twice as many lines as it kept, and
// when the log grows past that at run time. The file holds live tokens, hence mode 0600.
import {
  closeSync,
  fchmodSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import {
  STATE_FORMAT,
  STATE_VERSION,
  persistedState,
  stateHeader,
  stateLine,
  type DemoState,
  type PersistedState,
  type StateHeader,
  type TokenState,
  type UsageState,
} from './persisted-state';
import type { Store, StoreChange } from './store';
import type { Row } from './values';

export const SAVE_INTERVAL_MS = 250;
/** Lines appended beyond the last snapshot's size (and at least this many) before a compaction. */
const COMPACT_AFTER_LINES = 100_000;
const WRITE_CHUNK = 1 << 20;
const READ_CHUNK = 4 << 20;

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

/** What the file holds besides the records, which replay puts straight into the store. */
export type LoadedState = {
  tokens: TokenState;
  apiUsage: UsageState;
  demo: DemoState | null;
  scenarioIds: Record<string, string>;
  /** Lines read after the header, and bytes up to the end of the last whole line. */
  lines: number;
  validBytes: number;
  /** Version 1 (one JSON object): to be rewritten as a version 2 snapshot. */
  legacy: boolean;
};

/** Lines of a file, read a chunk at a time; `complete` is false for a last line with no newline. */
function* fileLines(fd: number): Generator<{ text: string; end: number; complete: boolean }> {
  const chunk = Buffer.allocUnsafe(READ_CHUNK);
  let pending: Buffer = Buffer.alloc(0);
  let offset = 0;
  for (;;) {
    const n = readSync(fd, chunk, 0, READ_CHUNK, null);
    if (n === 0) break;
    const data: Buffer = pending.length > 0 ? Buffer.concat([pending, chunk.subarray(0, n)]) : chunk.subarray(0, n);
    let start = 0;
    for (let nl = data.indexOf(10, start); nl >= 0; nl = data.indexOf(10, start)) {
      offset += nl + 1 - start;
      yield { text: data.toString('utf8', start, nl), end: offset, complete: true };
      start = nl + 1;
    }
    pending = Buffer.from(data.subarray(start));
  }
  if (pending.length > 0) yield { text: pending.toString('utf8'), end: offset + pending.length, complete: false };
}

/**
 * Replays the state file into the (new, empty) store; null when there is no file yet. Throws a
 * StateFileError saying what is wrong and how to start over.
 */
export function loadStateFile(file: string, store: Store, expectedOrgId: string | undefined): LoadedState | null {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw unusableStateFile(file, `cannot read the state file ${file} (${(err as Error).message})`);
  }
  try {
    return replay(file, fd, store, expectedOrgId);
  } finally {
    closeSync(fd);
  }
}

function replay(file: string, fd: number, store: Store, expectedOrgId: string | undefined): LoadedState {
  const lines = fileLines(fd);
  const first = lines.next();
  const headerText = first.done ? '' : first.value.text;
  let json: unknown;
  try {
    json = JSON.parse(headerText);
  } catch (err) {
    throw unusableStateFile(file, `the state file ${file} is not valid JSON (${(err as Error).message})`);
  }
  const corrupt = (issue: { path: PropertyKey[]; message: string } | undefined, line?: number) => {
    const where = issue && issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ` : '';
    const at = line === undefined ? '' : `line ${line}: `;
    return unusableStateFile(
      file,
      `the state file ${file} is corrupt or from another version of this test double (${at}${where}${issue?.message ?? 'invalid'})`,
    );
  };
  const restore = (what: () => void) => {
    try {
      what();
    } catch (err) {
      if (err instanceof StateFileError) throw err;
      throw unusableStateFile(file, `the state file ${file} cannot be restored (${(err as Error).message})`);
    }
  };
  const checkOrg = (org: { orgId: string; multiCurrency: boolean }) => {
    if (expectedOrgId && org.orgId !== expectedOrgId)
      throw unusableStateFile(
        file,
        `the state file ${file} holds org ${org.orgId}, not the org ${expectedOrgId} of the orgId option`,
      );
    if (org.multiCurrency !== store.multiCurrency)
      restore(() => {
        throw new Error(
          `the saved org ${org.multiCurrency ? 'has' : 'does not have'} multi-currency, the multiCurrency option says ${store.multiCurrency}`,
        );
      });
  };

  if (typeof json === 'object' && json !== null && (json as { version?: unknown }).version === 1) {
    const parsed = persistedState.safeParse(json);
    if (!parsed.success) throw corrupt(parsed.error.issues[0]);
    const v1: PersistedState = parsed.data;
    checkOrg(v1.org);
    restore(() => store.restore(v1.org));
    return {
      tokens: v1.tokens,
      apiUsage: v1.apiUsage,
      demo: v1.demo,
      scenarioIds: v1.scenarioIds,
      lines: 0,
      validBytes: first.done ? 0 : first.value.end,
      legacy: true,
    };
  }
  const header = stateHeader.safeParse(json);
  if (!header.success) throw corrupt(header.error.issues[0]);
  checkOrg(header.data.org);
  restore(() => store.putIdentity(header.data.org));
  const fields = header.data.fields;
  const loaded: LoadedState = {
    tokens: { families: [], accessTokens: [], rotatedOut: [] },
    apiUsage: { hours: [] },
    demo: null,
    scenarioIds: {},
    lines: 0,
    validBytes: first.done ? 0 : first.value.end,
    legacy: false,
  };
  for (const line of lines) {
    // A last line cut short by a crash is a batch that never finished: left out.
    if (!line.complete) break;
    const n = loaded.lines + 2;
    let value: unknown;
    try {
      value = JSON.parse(line.text);
    } catch (err) {
      throw corrupt({ path: [], message: `not JSON (${(err as Error).message})` }, n);
    }
    if (Array.isArray(value)) {
      const [type, ...values] = value as [unknown, ...unknown[]];
      const names = typeof type === 'string' ? fields[type] : undefined;
      if (!names || names.length !== values.length)
        throw corrupt({ path: [], message: `a record of an object the header does not list (${String(type)})` }, n);
      const row: Row = {};
      for (let i = 0; i < names.length; i++) row[names[i]!] = values[i] as Row[string];
      restore(() => store.putRow(type as string, row));
    } else {
      const parsed = stateLine.safeParse(value);
      if (!parsed.success) throw corrupt(parsed.error.issues[0], n);
      const l = parsed.data;
      if ('gone' in l) store.removeRow(l.gone, l.id);
      else if ('deleted' in l) store.putDeleted(l.deleted.id, l.deleted);
      else if ('undeleted' in l) store.putDeleted(l.undeleted, null);
      else if ('ids' in l) store.ids.resumeAfter(l.ids);
      else if ('tokens' in l) loaded.tokens = l.tokens;
      else if ('apiUsage' in l) loaded.apiUsage = l.apiUsage;
      else if ('demo' in l) loaded.demo = l.demo;
      else loaded.scenarioIds = l.scenarioIds;
    }
    loaded.lines++;
    loaded.validBytes = line.end;
  }
  return loaded;
}

type OtherState = 'tokens' | 'apiUsage' | 'demo' | 'scenarioIds';

/** Where the log reads the state that is not records. */
export type StateSources = {
  tokens(): TokenState;
  apiUsage(): UsageState;
  demo(): DemoState | null;
  scenarioIds(): Record<string, string>;
};

/** Buffered writes to a file descriptor, in chunks of about a megabyte. */
class LineWriter {
  private parts: string[] = [];
  private size = 0;
  constructor(private readonly fd: number) {}
  line(value: unknown): void {
    const text = `${JSON.stringify(value)}\n`;
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= WRITE_CHUNK) this.drain();
  }
  drain(): void {
    if (this.parts.length === 0) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    let buf = Buffer.from(chunk);
    while (buf.length > 0) buf = buf.subarray(writeSync(this.fd, buf));
  }
}

/** Follows the store's changes into the state file: appended in batches, compacted now and then. */
export class StateLog {
  private fd: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private paused = false;
  private readonly rows = new Map<string, string>();
  private readonly deletions = new Set<string>();
  private readonly others: Record<OtherState, boolean> = {
    tokens: false,
    apiUsage: false,
    demo: false,
    scenarioIds: false,
  };
  private idsWritten = -1;
  private linesSinceSnapshot = 0;
  private snapshotLines = 0;

  constructor(
    private readonly file: string,
    private readonly store: Store,
    private readonly sources: StateSources,
  ) {
    mkdirSync(path.dirname(file), { recursive: true });
  }

  /**
   * Appends from here on to what replay read (a torn last batch cut off); compacts instead when
   * the file is version 1 or replay read more than twice the lines it kept.
   */
  resume(loaded: LoadedState): void {
    const kept = this.recordCount();
    this.idsWritten = this.store.ids.issued;
    if (loaded.legacy || loaded.lines > 2 * kept + COMPACT_AFTER_LINES) return this.compact();
    try {
      const fd = openSync(this.file, 'r+');
      if (fstatSync(fd).size > loaded.validBytes) {
        ftruncateSync(fd, loaded.validBytes);
        fsyncSync(fd);
      }
      closeSync(fd);
      this.fd = openSync(this.file, 'a', 0o600);
    } catch (err) {
      throw new StateFileError(this.file, `cannot write the state file ${this.file} (${(err as Error).message})`);
    }
    this.snapshotLines = kept;
    this.linesSinceSnapshot = loaded.lines;
  }

  readonly record = (change: StoreChange): void => {
    if (this.paused || this.closed) return;
    if (change.kind === 'row') this.rows.set(change.id, change.type);
    else this.deletions.add(change.id);
    this.schedule();
  };

  /** The state of this kind changed (tokens, API usage, the demo seed, scenario ids). */
  touched(kind: OtherState): void {
    if (this.paused || this.closed) return;
    this.others[kind] = true;
    this.schedule();
  }

  /** Stops following changes (a generated org is written in bulk); compact() resumes. */
  pause(): void {
    this.paused = true;
  }

  /** Appends the changes since the last batch, and flushes them to disk; throws when it cannot. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.fd === null) return this.compact();
    try {
      const out = new LineWriter(this.fd);
      let lines = 0;
      for (const [id, type] of this.rows) {
        const table = this.store.table(type);
        const slot = table.slotOf(id);
        out.line(slot >= 0 ? recordLine(table, slot) : { gone: type, id });
        lines++;
      }
      for (const id of this.deletions) {
        const entry = this.store.deletedEntry(id);
        out.line(entry ? { deleted: entry } : { undeleted: id });
        lines++;
      }
      lines += this.writeOthers(out, false);
      out.drain();
      if (lines > 0) fsyncSync(this.fd);
      this.rows.clear();
      this.deletions.clear();
      this.linesSinceSnapshot += lines;
    } catch (err) {
      throw new StateFileError(this.file, `cannot write the state file ${this.file} (${(err as Error).message})`);
    }
    if (this.linesSinceSnapshot > 2 * this.snapshotLines + COMPACT_AFTER_LINES) this.compact();
  }

  /** Writes the whole state as a new snapshot, record by record, and puts it in place of the log. */
  compact(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const tmp = `${this.file}.tmp`;
    let lines = 0;
    try {
      if (this.fd !== null) closeSync(this.fd);
      this.fd = null;
      const fd = openSync(tmp, 'w', 0o600);
      try {
        fchmodSync(fd, 0o600); // the mode given to openSync only applies when the file is new
        const out = new LineWriter(fd);
        out.line(this.header());
        for (const table of this.store.allTables()) {
          for (let s = 0; s < table.slotCount; s++) {
            if (!table.visible(s, true)) continue;
            out.line(recordLine(table, s));
            lines++;
          }
        }
        for (const entry of this.store.deletedEntries()) {
          out.line({ deleted: entry });
          lines++;
        }
        this.idsWritten = -1;
        lines += this.writeOthers(out, true);
        out.drain();
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, this.file);
      this.fd = openSync(this.file, 'a', 0o600);
    } catch (err) {
      throw new StateFileError(this.file, `cannot write the state file ${this.file} (${(err as Error).message})`);
    }
    this.rows.clear();
    this.deletions.clear();
    this.paused = false;
    this.snapshotLines = lines;
    this.linesSinceSnapshot = lines;
  }

  /** The last write; changes after it are not saved. */
  close(): void {
    if (this.closed) return;
    try {
      this.flush();
    } finally {
      this.closed = true;
      if (this.fd !== null) closeSync(this.fd);
      this.fd = null;
    }
  }

  /** On disk: the file's size in bytes. */
  size(): number {
    return this.fd === null ? 0 : fstatSync(this.fd).size;
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.flushInBackground(), SAVE_INTERVAL_MS);
    // The server keeps the process alive; a pending save must not keep it alive on its own.
    this.timer.unref();
  }

  private flushInBackground(): void {
    try {
      this.flush();
    } catch (err) {
      // Not thrown from a timer, which would end the process: the next change or close() tries again.
      process.stderr.write(`${(err as Error).message}\n`);
    }
  }

  private writeOthers(out: LineWriter, all: boolean): number {
    let lines = 0;
    if (this.store.ids.issued !== this.idsWritten) {
      out.line({ ids: this.store.ids.issued });
      this.idsWritten = this.store.ids.issued;
      lines++;
    }
    const o = this.others;
    if (all || o.tokens) out.line({ tokens: this.sources.tokens() });
    if (all || o.apiUsage) out.line({ apiUsage: this.sources.apiUsage() });
    if (all || o.demo) out.line({ demo: this.sources.demo() });
    if (all || o.scenarioIds) out.line({ scenarioIds: this.sources.scenarioIds() });
    lines += Number(all || o.tokens) + Number(all || o.apiUsage) + Number(all || o.demo) + Number(all || o.scenarioIds);
    o.tokens = o.apiUsage = o.demo = o.scenarioIds = false;
    return lines;
  }

  private header(): StateHeader {
    const store = this.store;
    return {
      format: STATE_FORMAT,
      version: STATE_VERSION,
      savedAt: new Date().toISOString(),
      org: {
        orgId: store.orgId,
        userId: store.userId,
        multiCurrency: store.multiCurrency,
        corporateCurrency: store.corporateCurrency,
      },
      fields: Object.fromEntries([...store.allTables()].map((t) => [t.def.name, t.def.fields.map((f) => f.name)])),
    };
  }

  private recordCount(): number {
    let n = 0;
    for (const table of this.store.allTables()) n += table.count(true);
    return n;
  }
}

function recordLine(table: ReturnType<Store['table']>, slot: number): unknown[] {
  const row = table.read(slot);
  const line: unknown[] = [table.def.name];
  for (const f of table.def.fields) line.push(row[f.name] ?? null);
  return line;
}
