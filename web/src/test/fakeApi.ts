// A stand-in for the network in component tests: answers fetch() from a
// table of handlers (the end-to-end run talks to the real platform).
import { vi } from 'vitest';

type Handler = (req: { method: string; url: URL; body: unknown; headers: Headers }) => Response | Promise<Response>;

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

export function problem(status: number, detail: string, errors?: Record<string, string[]>): Response {
  return new Response(JSON.stringify({ type: 'about:blank', title: 'Problem', status, detail, errors }), {
    status,
    headers: { 'Content-Type': 'application/problem+json' },
  });
}

export interface FakeApi {
  calls: { method: string; path: string; body: unknown; headers: Headers }[];
  on: (method: string, path: string | RegExp, h: Handler) => void;
}

export function installFakeApi(): FakeApi {
  const routes: { method: string; path: string | RegExp; h: Handler }[] = [];
  const api: FakeApi = {
    calls: [],
    on: (method, path, h) => routes.unshift({ method, path, h }),
  };
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: string, init: RequestInit = {}) => {
      const url = new URL(input, 'http://app.test');
      const method = (init.method ?? 'GET').toUpperCase();
      const headers = new Headers(init.headers);
      const body = typeof init.body === 'string' ? JSON.parse(init.body) : init.body;
      api.calls.push({ method, path: url.pathname, body, headers });
      const route = routes.find(
        (r) => r.method === method && (typeof r.path === 'string' ? r.path === url.pathname : r.path.test(url.pathname)),
      );
      if (!route) return problem(404, `no fake for ${method} ${url.pathname}`);
      return route.h({ method, url, body, headers });
    }),
  );
  return api;
}
