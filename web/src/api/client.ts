// Every call the web app makes: same-origin, the session cookie, JSON both ways, and the
// "X-Requested-With: fetch" header the server requires of signed-in writes (CSRF). Errors come
// back as ApiError with the problem+json detail, which already says what to do.
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly body: Record<string, unknown> = {},
  ) {
    super(detail || title);
  }
}

/** Fired when the session ended under the app's feet: the app shows the sign-in page. */
export const SIGNED_OUT_EVENT = 'cra:signed-out';

const OFFLINE = 'The service did not answer. Check that it is running (npm start) and your connection, then try again.';

export async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: {
        accept: 'application/json',
        'x-requested-with': 'fetch',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(signal ? { signal } : {}),
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'Offline', OFFLINE);
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const json =
    text && (res.headers.get('content-type') ?? '').includes('json')
      ? (JSON.parse(text) as Record<string, unknown>)
      : {};
  if (!res.ok) {
    if (res.status === 401 && !path.startsWith('/auth/')) window.dispatchEvent(new Event(SIGNED_OUT_EVENT));
    const detail =
      typeof json.detail === 'string'
        ? json.detail
        : res.status >= 500
          ? 'Something went wrong on our side. Try again in a moment.'
          : res.statusText;
    throw new ApiError(
      res.status,
      typeof json.title === 'string' ? json.title : res.statusText,
      capitalize(detail),
      json,
    );
  }
  return json as T;
}

const capitalize = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1) : s);

export const api = {
  get: <T>(path: string, signal?: AbortSignal) => request<T>('GET', path, undefined, signal),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  delete: <T>(path: string) => request<T>('DELETE', path),
};

/** A query string from the defined values only. */
export function query(params: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/**
 * Every page of a cursor-paged list (up to 5,000 items), as one page: the list pages show the
 * whole range's list, sorted by the API. `path` already carries a query string.
 */
export async function getAllPages<P extends { items: unknown[]; nextCursor: string | null }>(
  path: string,
  signal: AbortSignal,
): Promise<P> {
  const first = await api.get<P>(path, signal);
  let page = first;
  const items = [...first.items];
  while (page.nextCursor && items.length < 5000) {
    page = await api.get<P>(`${path}&cursor=${encodeURIComponent(page.nextCursor)}`, signal);
    items.push(...page.items);
  }
  return { ...first, items, nextCursor: page.nextCursor };
}
