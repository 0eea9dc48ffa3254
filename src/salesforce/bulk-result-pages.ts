// Bulk API 2.0 parallel results: GET /services/data/vXX.X/jobs/query/{jobId}/resultPages (API 58.0
// and later) answers with up to five result URIs to download in parallel, a nextRecordsUrl for the
// next set and done ("Get Parallel Results for a Query Job",
// https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_get_parallel_job_results.htm):
//   { "resultPages": [{ "resultUrl": "/services/data/vXX.X/jobs/query/750…/results?locator=aBcDeFg4N" }, …],
//     "nextRecordsUrl": "…", "done": false }
// A public connector tested against a real org found another spelling, resultChunks[].resultLink,
// links relative to /services/data/vXX.X, nextRecordsUrl null at the end, and the resource
// answering only where the org preference PartialDownloadAndJobEvent is on
// (msrivastav13/node-sf-bulk2 pull request 35): both spellings are read here, and an org that
// refuses the resource is read one locator after another instead (sync-bulk.ts).
//
// The reader downloads (and parses) up to `parallel` pages ahead while the caller writes them in
// the order Salesforce listed them. Its resume point is every listed page not yet written plus
// the nextRecordsUrl not yet followed: a crash re-downloads only pages that were never committed.

/** What a resultPages response lists. */
export interface ResultPagesBatch {
  urls: string[];
  /** The URI of the next set of result URIs; null when done. */
  next: string | null;
}

/** Where a parallel download stands: the pages not yet written, in order, and the next set's URI. */
export interface ParallelResume {
  pages: string[];
  next: string | null;
}

/** Saved in the object's bulk locator; a results locator of Salesforce never starts so. */
const RESUME_PREFIX = 'resultPages:';

export function encodeResume(resume: ParallelResume): string {
  return RESUME_PREFIX + JSON.stringify(resume);
}

/** The parallel resume point saved in `locator`, or null when it is a plain results locator (or none). */
export function decodeResume(locator: string | null): ParallelResume | null {
  if (!locator?.startsWith(RESUME_PREFIX)) return null;
  const parsed = JSON.parse(locator.slice(RESUME_PREFIX.length)) as Partial<ParallelResume>;
  if (!Array.isArray(parsed.pages) || !parsed.pages.every((p) => typeof p === 'string'))
    throw new Error(`the saved Bulk API resume point is not readable: ${locator.slice(0, 200)}`);
  return { pages: parsed.pages, next: typeof parsed.next === 'string' ? parsed.next : null };
}

export class UnexpectedResultPages extends Error {
  constructor(body: string) {
    super(`Salesforce answered resultPages with neither resultPages nor resultChunks: ${body.slice(0, 200)}`);
    this.name = 'UnexpectedResultPages';
  }
}

/** A resultPages response body, in either spelling; links made paths under `dataBase` (/services/data/vXX.X). */
export function parseResultPages(body: string, dataBase: string): ResultPagesBatch {
  const parsed = JSON.parse(body) as {
    resultPages?: { resultUrl?: string; resultLink?: string }[];
    resultChunks?: { resultUrl?: string; resultLink?: string }[];
    nextRecordsUrl?: string | null;
    done?: boolean;
  };
  const list = parsed.resultPages ?? parsed.resultChunks;
  if (!Array.isArray(list)) throw new UnexpectedResultPages(body);
  const urls = list.flatMap((p) => {
    const link = p.resultUrl ?? p.resultLink;
    return typeof link === 'string' && link !== '' ? [underDataBase(link, dataBase)] : [];
  });
  const next = parsed.done === true || !parsed.nextRecordsUrl ? null : underDataBase(parsed.nextRecordsUrl, dataBase);
  return { urls, next };
}

function underDataBase(link: string, dataBase: string): string {
  if (link.startsWith('/services/') || /^https?:\/\//i.test(link)) return link;
  return `${dataBase}${link.startsWith('/') ? '' : '/'}${link}`;
}

export interface PageReaderOptions<T> {
  resume: ParallelResume;
  parallel: number;
  /** Downloads and parses one result page. */
  fetchPage: (url: string) => Promise<T>;
  /** Follows a nextRecordsUrl. */
  fetchBatch: (url: string) => Promise<ResultPagesBatch>;
}

/**
 * Yields each page in list order with the resume point after it; keeps up to `parallel` pages
 * downloading meanwhile. A failed download surfaces when its turn comes, after the pages before it.
 */
export async function* readPagesInOrder<T>(
  options: PageReaderOptions<T>,
): AsyncGenerator<{ page: T; url: string; after: ParallelResume }> {
  const pending = [...options.resume.pages];
  let next = options.resume.next;
  const inFlight: Promise<T>[] = [];
  const parallel = Math.max(1, options.parallel);
  try {
    for (;;) {
      while (inFlight.length < parallel) {
        if (pending.length > inFlight.length) {
          const download = options.fetchPage(pending[inFlight.length]!);
          // Awaited in order below; until then a failure must not count as unhandled.
          download.catch(() => undefined);
          inFlight.push(download);
        } else if (next) {
          const batch = await options.fetchBatch(next);
          if (batch.urls.length === 0 && batch.next === next)
            throw new Error(`Salesforce listed no result pages and the same next set again (${next})`);
          pending.push(...batch.urls);
          next = batch.next;
        } else break;
      }
      if (inFlight.length === 0) return;
      const page = await inFlight.shift()!;
      const url = pending.shift()!;
      yield { page, url, after: { pages: [...pending], next } };
    }
  } finally {
    // Stopped early (an error, a caller that broke off): nothing may reject unobserved later.
    for (const p of inFlight) p.catch(() => undefined);
  }
}
