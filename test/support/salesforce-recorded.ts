// The recorded Salesforce responses of test/fixtures/salesforce (each says where its shape comes
// from), for nock to replay through the real client.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export interface Recorded {
  source: string;
  about: string;
  request: { method: string; path: string };
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

const DIR = path.join(__dirname, '..', 'fixtures', 'salesforce');

export function recorded(name: string): Recorded {
  return JSON.parse(readFileSync(path.join(DIR, `${name}.json`), 'utf8')) as Recorded;
}

/** The JSON text of a recorded body as Salesforce sent it (numbers such as 1.25E7 untouched). */
export function recordedJsonText(name: string): string {
  const text = readFileSync(path.join(DIR, `${name}.json`), 'utf8');
  const start = text.indexOf('"body":');
  const body = text.slice(start + '"body":'.length, text.lastIndexOf('}')).trim();
  return body;
}

/** [status, body, headers] for nock's reply(): JSON kept as recorded, gzip applied when the headers say so. */
export function replyOf(name: string, overrides: { body?: unknown; headers?: Record<string, string> } = {}) {
  const r = recorded(name);
  const headers = { ...r.headers, ...overrides.headers };
  const body = overrides.body ?? r.body;
  const text =
    overrides.body !== undefined && typeof body !== 'string'
      ? JSON.stringify(body)
      : typeof body === 'string'
        ? body
        : recordedJsonText(name);
  const gzip = /gzip/i.test(headers['Content-Encoding'] ?? '');
  return [r.status, gzip ? gzipSync(text) : text, headers] as const;
}
