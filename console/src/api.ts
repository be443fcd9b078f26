/**
 * The console's only way to the keyserver: fetch on the same origin. The admin token lives in this
 * closure (memory) and nowhere else: not in the URL, not in storage, gone when the tab closes.
 */

export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly body: unknown) {
    super(message);
  }
}

export type SignInProblem = 'client-token' | 'unknown-token' | 'unreachable';

/** What the sign-in form says for each way a token can be refused. */
export const SIGN_IN_MESSAGES: Record<SignInProblem, string> = {
  'client-token': 'this is a client token: the console needs an admin token (`kss keyserver token create --role admin`)',
  'unknown-token': 'this token is not known to the keyserver, or it was revoked',
  unreachable: 'the keyserver does not answer; is `kss serve` running?',
};

export interface Api {
  get(path: string): Promise<any>;
  text(path: string): Promise<string>;
  send(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown, contentType?: string): Promise<any>;
  /** Refused (401) after sign-in: the token was revoked; the app signs out. */
  onUnauthorized(f: () => void): void;
}

async function answer(res: Response): Promise<any> {
  const type = res.headers.get('content-type') ?? '';
  const body: unknown = type.includes('json') ? await res.json() : await res.text();
  if (res.ok) return body;
  const message = typeof body === 'object' && body !== null && 'error' in body ? String((body as { error: unknown }).error) : `the keyserver answered ${res.status}`;
  throw new ApiError(res.status, message, body);
}

export function createApi(token: string, base = ''): Api {
  let unauthorized: () => void = () => {};
  const call = async (method: string, path: string, body?: string, contentType?: string) => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (contentType) headers['content-type'] = contentType;
    const res = await fetch(`${base}${path}`, { method, headers, body, credentials: 'omit' });
    if (res.status === 401) unauthorized();
    return res;
  };
  return {
    get: async (path) => answer(await call('GET', path)),
    text: async (path) => {
      const res = await call('GET', path);
      if (!res.ok) return answer(res);
      return res.text();
    },
    send: async (method, path, body, contentType) => {
      const raw = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
      return answer(await call(method, path, raw, contentType ?? (typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json')));
    },
    onUnauthorized: (f) => (unauthorized = f),
  };
}

/** Checks a token with an admin-only read: a client token gets 403, an unknown one 401. */
export async function signIn(token: string, base = ''): Promise<Api | SignInProblem> {
  const api = createApi(token.trim(), base);
  try {
    await api.get('/v1/instances');
    return api;
  } catch (e) {
    if (e instanceof ApiError && e.status === 403) return 'client-token';
    if (e instanceof ApiError && e.status === 401) return 'unknown-token';
    return 'unreachable';
  }
}
