// Salesforce-style record ids: a 3-character key prefix, a pod, a counter, and the 3-character
// case-safe suffix that turns a 15-character id into the 18-character one the API returns.
import { randomInt } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const POD = '5g'; // two instance characters, as real ids carry (e.g. 0065g00000…)

/** The 18-character form: each 5-character chunk's upper-case letters become one suffix character. */
export function to18(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let flags = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) flags |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET[flags];
  }
  return id15 + suffix;
}

/** An id as Salesforce accepts it (15 or 18 characters, letters and digits), in 18-character form; else null. */
export function normalizeId(input: string): string | null {
  if (!/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(input)) return null;
  const canonical = to18(input.slice(0, 15));
  // An 18-character id with a wrong suffix is malformed; Salesforce rejects it too.
  return input.length === 18 && canonical !== input ? null : canonical;
}

/** The id the generator gives for counter n with this key prefix (what IdGenerator.next returns). */
export function generatedId(prefix: string, n: number): string {
  return to18(prefix + POD + '0' + base62(n, 9));
}

/**
 * The counter of an id the generator made (any key prefix), or -1 for any other id. Ids grow with
 * their counter, so a table in creation order is sorted by it and finds an id by binary search.
 */
export function generatedCounter(id: string): number {
  if (id.length !== 18 || id.charCodeAt(3) !== 53 || id.charCodeAt(4) !== 103 || id.charCodeAt(5) !== 48) return -1;
  let n = 0;
  for (let i = 6; i < 15; i++) {
    const d = BASE62_VALUE[id.charCodeAt(i)] ?? -1;
    if (d < 0) return -1;
    n = n * 62 + d;
  }
  // Fixed-width digits: only the case-safe suffix can differ from what the generator gives.
  return n > 0 && Number.isSafeInteger(n) && to18(id.slice(0, 15)) === id ? n : -1;
}

const BASE62_VALUE: number[] = Array.from({ length: 128 }, (_, c) => BASE62.indexOf(String.fromCharCode(c)));

export class IdGenerator {
  private counter = 0;

  /** How many ids were handed out; a restored org resumes after it, so no id is given twice. */
  get issued(): number {
    return this.counter;
  }

  resumeAfter(issued: number): void {
    this.counter = issued;
  }

  /** The next id with this key prefix, 18 characters. Ids grow in creation order. */
  next(prefix: string): string {
    this.counter += 1;
    return generatedId(prefix, this.counter);
  }
}

/** A random id with this prefix, for things whose order does not matter (org, cursors, jobs). */
export function randomId(prefix: string): string {
  let tail = '';
  for (let i = 0; i < 8; i++) tail += BASE62[randomInt(62)];
  return to18(prefix + POD + '00' + tail);
}

function base62(n: number, width: number): string {
  let out = '';
  for (let v = n; v > 0; v = Math.floor(v / 62)) out = BASE62[v % 62] + out;
  return out.padStart(width, '0');
}
