// A browser-like client for the web app's session: keeps the cookie, sends the CSRF header
// (unless told not to), and reads JSON or problem+json.
export interface SessionResponse {
  status: number;
  headers: Headers;
  body: any;
}

export function sessionClient(baseUrl: string) {
  let cookie: string | null = null;
  const call = async (
    method: string,
    path: string,
    opts: { body?: unknown; csrf?: boolean; headers?: Record<string, string> } = {},
  ): Promise<SessionResponse> => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      redirect: 'manual',
      headers: {
        ...(cookie ? { cookie } : {}),
        ...(opts.csrf === false ? {} : { 'x-requested-with': 'fetch' }),
        ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...opts.headers,
      },
      ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
    });
    for (const set of res.headers.getSetCookie()) {
      const [pair] = set.split(';');
      cookie = /=$/.test(pair!) || /Expires=Thu, 01 Jan 1970/i.test(set) ? null : pair!;
    }
    const text = await res.text();
    const json = (res.headers.get('content-type') ?? '').includes('json') && text ? JSON.parse(text) : text;
    return { status: res.status, headers: res.headers, body: json };
  };
  return {
    get cookie() {
      return cookie;
    },
    set cookie(value: string | null) {
      cookie = value;
    },
    get: (path: string, opts?: { headers?: Record<string, string> }) => call('GET', path, opts),
    post: (path: string, body?: unknown, opts: { csrf?: boolean } = {}) => call('POST', path, { body, ...opts }),
    patch: (path: string, body: unknown, opts: { csrf?: boolean } = {}) => call('PATCH', path, { body, ...opts }),
    delete: (path: string, opts: { csrf?: boolean } = {}) => call('DELETE', path, opts),
  };
}
export type SessionClient = ReturnType<typeof sessionClient>;
