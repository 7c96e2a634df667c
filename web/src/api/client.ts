// The one API client: same-origin fetch, the access token from memory,
// problem+json turned into ApiError, and a single shared refresh when
// several requests meet an expired token at once.
import { ApiError, problemFrom } from './problem';
import type { Session } from './types';

type Query = Record<string, string | number | boolean | undefined | null>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** A file or form: sent as is, with its own content type. */
  raw?: BodyInit;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Return the Response itself (downloads). */
  asResponse?: boolean;
}

interface Tokens {
  access: string | null;
  /** Called with a fresh session after a refresh, or null when it is gone. */
  onChange: (s: Session | null) => void;
}

const tokens: Tokens = { access: null, onChange: () => {} };
let refreshing: Promise<Session | null> | null = null;

/** The refresh token lives in an HttpOnly cookie; this header asks auth for that transport. */
export const COOKIE_HEADER = { 'X-Refresh-Cookie': '1' };

export function setAccessToken(token: string | null): void {
  tokens.access = token;
}

export function accessToken(): string | null {
  return tokens.access;
}

export function onSessionChange(fn: (s: Session | null) => void): void {
  tokens.onChange = fn;
}

/**
 * Exchanges the refresh cookie for a new session. Concurrent callers share
 * one request: a refresh token is single-use, so a second parallel refresh
 * would look like reuse and revoke the whole family.
 */
export function refreshSession(): Promise<Session | null> {
  refreshing ??= (async () => {
    try {
      const res = await fetch('/api/v1/auth/refresh', {
        method: 'POST',
        headers: { ...COOKIE_HEADER, 'Content-Type': 'application/json' },
        body: '{}',
        credentials: 'same-origin',
      });
      if (!res.ok) {
        if (res.status === 401 || res.status === 422 || res.status === 400) {
          setAccessToken(null);
          tokens.onChange(null);
          return null;
        }
        throw await problemFrom(res);
      }
      const session = (await res.json()) as Session;
      setAccessToken(session.access_token);
      tokens.onChange(session);
      return session;
    } catch (e) {
      if (e instanceof ApiError) throw e;
      throw new ApiError(0, 'offline');
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

function url(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function send(method: string, path: string, opts: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
  if (tokens.access) headers.Authorization = `Bearer ${tokens.access}`;
  let body: BodyInit | undefined = opts.raw;
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  try {
    return await fetch(url(path, opts.query), { method, headers, body, signal: opts.signal, credentials: 'same-origin' });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'offline');
  }
}

/** One API call; a 401 with a token triggers the shared refresh and one retry. */
export async function api<T = unknown>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const hadToken = tokens.access !== null;
  let res = await send(method, path, opts);
  if (res.status === 401 && hadToken) {
    const session = await refreshSession();
    if (session) res = await send(method, path, opts);
  }
  if (!res.ok) throw await problemFrom(res);
  if (opts.asResponse) return res as T;
  if (res.status === 204 || res.headers.get('content-length') === '0') return undefined as T;
  return (await res.json()) as T;
}

export const get = <T>(path: string, query?: Query, signal?: AbortSignal) => api<T>('GET', path, { query, signal });
export const post = <T>(path: string, body?: unknown, headers?: Record<string, string>) =>
  api<T>('POST', path, { body: body ?? {}, headers });
export const put = <T>(path: string, body?: unknown) => api<T>('PUT', path, { body: body ?? {} });
export const patch = <T>(path: string, body?: unknown) => api<T>('PATCH', path, { body: body ?? {} });
export const del = <T>(path: string, body?: unknown) => api<T>('DELETE', path, { body });
