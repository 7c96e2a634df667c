import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { installFakeApi, json, problem, type FakeApi } from '../test/fakeApi';
import { get, setAccessToken } from './client';
import { ApiError } from './problem';

const session = (token: string) => ({
  user: { id: 1, name: 'A', email: 'a@x', role: 'patient' },
  access_token: token,
  token_type: 'Bearer',
  expires_in: 900,
});

describe('the API client', () => {
  let api: FakeApi;
  beforeEach(() => {
    api = installFakeApi();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    setAccessToken(null);
  });

  it('refreshes once for concurrent 401s and retries each request with the new token', async () => {
    setAccessToken('expired');
    let releaseRefresh: () => void = () => {};
    const gate = new Promise<void>((r) => (releaseRefresh = r));
    api.on('GET', /^\/api\/v1\/thing\/\d$/, ({ headers, url }) =>
      headers.get('authorization') === 'Bearer fresh' ? json({ path: url.pathname }) : problem(401, 'expired'),
    );
    api.on('POST', '/api/v1/auth/refresh', async ({ headers }) => {
      expect(headers.get('x-refresh-cookie')).toBe('1');
      await gate;
      return json(session('fresh'));
    });
    const all = Promise.all([1, 2, 3].map((n) => get<{ path: string }>(`/api/v1/thing/${n}`)));
    await vi.waitFor(() => expect(api.calls.filter((c) => c.path === '/api/v1/auth/refresh')).toHaveLength(1));
    releaseRefresh();
    const answers = await all;
    expect(answers.map((a) => a.path)).toEqual(['/api/v1/thing/1', '/api/v1/thing/2', '/api/v1/thing/3']);
    expect(api.calls.filter((c) => c.path === '/api/v1/auth/refresh')).toHaveLength(1);
  });

  it('gives up after one refresh that fails, with the 401', async () => {
    setAccessToken('expired');
    api.on('GET', '/api/v1/thing', () => problem(401, 'expired'));
    api.on('POST', '/api/v1/auth/refresh', () => problem(401, 'no session'));
    await expect(get('/api/v1/thing')).rejects.toMatchObject({ status: 401 });
    expect(api.calls.filter((c) => c.path === '/api/v1/thing')).toHaveLength(1);
  });

  it('maps problem+json to field errors and Retry-After, and a lost connection to status 0', async () => {
    api.on('GET', '/api/v1/invalid', () => problem(422, 'some fields are invalid', { 'address.city': ['is required'] }));
    api.on('GET', '/api/v1/busy', () => new Response(null, { status: 429, headers: { 'Retry-After': '7' } }));
    const invalid = await get('/api/v1/invalid').catch((e: ApiError) => e);
    expect(invalid).toBeInstanceOf(ApiError);
    expect((invalid as ApiError).fieldErrors).toEqual({ 'address.city': ['is required'] });
    expect(await get('/api/v1/busy').catch((e: ApiError) => e.retryAfter)).toBe(7);
    vi.stubGlobal('fetch', vi.fn(() => Promise.reject(new TypeError('Failed to fetch'))));
    expect(await get('/api/v1/x').catch((e: ApiError) => e.isOffline)).toBe(true);
  });
});
