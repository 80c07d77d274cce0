import { AuthSession } from './auth-session.js';
import { PortalApi } from './portal-api.js';
import { ResponseError } from './response-error.js';

interface Call {
  url: string;
  method: string;
  authorization: string | null;
  requestedWith: string | null;
}

/** A fake gateway: the guest refresh hands out numbered tokens; the API accepts `validToken` only. */
function fakeGateway(options: { expiresInSeconds?: number; refreshStatus?: number } = {}) {
  const calls: Call[] = [];
  let issued = 0;
  const state = { validToken: 'token-1' };
  const fetch = (async (input: Parameters<typeof globalThis.fetch>[0], init: RequestInit = {}) => {
    const url = String(input);
    const headers = new Headers(init.headers);
    calls.push({
      url,
      method: init.method ?? 'GET',
      authorization: headers.get('authorization'),
      requestedWith: headers.get('x-requested-with'),
    });
    const json = (status: number, body: unknown) =>
      new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    if (url.endsWith('/api/auth/guest/refresh')) {
      if (options.refreshStatus)
        return json(options.refreshStatus, {
          error: { name: 'AuthenticationError', message: 'session ended' },
        });
      issued += 1;
      return json(200, {
        profile: { displayName: 'Guest' },
        backstageIdentity: {
          token: `token-${issued}`,
          expiresInSeconds: options.expiresInSeconds ?? 3600,
          identity: {
            type: 'user',
            userEntityRef: 'user:development/guest',
            ownershipEntityRefs: ['user:development/guest'],
          },
        },
      });
    }
    if (headers.get('authorization') !== `Bearer ${state.validToken}`) {
      return json(401, {
        error: { name: 'AuthenticationError', message: 'Invalid token' },
        response: { statusCode: 401 },
      });
    }
    if (url.includes('/missing')) {
      return json(404, {
        error: { name: 'NotFoundError', message: 'No entity named x' },
        response: { statusCode: 404 },
      });
    }
    if (url.includes('/html'))
      return new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' });
    return json(200, { ok: true, url });
  }) as typeof globalThis.fetch;
  return { fetch, calls, state };
}

function memoryStorage() {
  const items = new Map<string, string>();
  return {
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
    removeItem: (k: string) => void items.delete(k),
    items,
  };
}

describe('AuthSession and PortalApi', () => {
  it('signs in with a provider, remembers it, and calls APIs with the bearer token', async () => {
    const gateway = fakeGateway();
    const storage = memoryStorage();
    const session = new AuthSession({ fetch: gateway.fetch, storage, baseUrl: 'http://gw' });
    const identity = await session.signIn('guest');
    expect(identity).toMatchObject({
      userEntityRef: 'user:development/guest',
      token: 'token-1',
      provider: 'guest',
    });
    expect(storage.items.get('portal.auth.provider')).toBe('guest');
    expect(gateway.calls[0]).toMatchObject({
      url: 'http://gw/api/auth/guest/refresh',
      requestedWith: 'XMLHttpRequest',
    });
    const api = new PortalApi(session, { fetch: gateway.fetch, baseUrl: 'http://gw' });
    expect(await api.getJson('/api/catalog/entities')).toEqual({
      ok: true,
      url: 'http://gw/api/catalog/entities',
    });
    expect(gateway.calls[1]!.authorization).toBe('Bearer token-1');
  });

  it('refreshes the token on a 401 and tries once more', async () => {
    const gateway = fakeGateway();
    const session = new AuthSession({ fetch: gateway.fetch });
    await session.signIn('guest');
    gateway.state.validToken = 'token-2';
    const api = new PortalApi(session, { fetch: gateway.fetch });
    await expect(api.getJson('/api/catalog/entities')).resolves.toMatchObject({ ok: true });
    expect(gateway.calls.map((c) => `${c.url} ${c.authorization}`)).toEqual([
      '/api/auth/guest/refresh null',
      '/api/catalog/entities Bearer token-1',
      '/api/auth/guest/refresh null',
      '/api/catalog/entities Bearer token-2',
    ]);
  });

  it('refreshes a token that is about to expire before using it, once for concurrent calls', async () => {
    const gateway = fakeGateway({ expiresInSeconds: 10 });
    const session = new AuthSession({ fetch: gateway.fetch });
    await session.signIn('guest');
    gateway.state.validToken = 'token-2';
    const api = new PortalApi(session, { fetch: gateway.fetch });
    await Promise.all([api.getJson('/api/a'), api.getJson('/api/b')]);
    expect(gateway.calls.filter((c) => c.url.endsWith('/refresh'))).toHaveLength(2);
    expect(gateway.calls.filter((c) => c.authorization === 'Bearer token-2')).toHaveLength(2);
  });

  it('turns Backstage error bodies (and other failures) into ResponseErrors with the status', async () => {
    const gateway = fakeGateway();
    const session = new AuthSession({ fetch: gateway.fetch });
    await session.signIn('guest');
    const api = new PortalApi(session, { fetch: gateway.fetch });
    const missing = await api.getJson('/api/catalog/missing').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ResponseError);
    expect(missing).toMatchObject({ status: 404, errorName: 'NotFoundError', message: 'No entity named x' });
    await expect(api.getJson('/api/catalog/html')).rejects.toMatchObject({
      status: 502,
      message: 'Bad Gateway (HTTP 502)',
    });
  });

  it('ends the session when the provider refuses to refresh, and restores nothing then', async () => {
    const storage = memoryStorage();
    const ok = fakeGateway();
    const session = new AuthSession({ fetch: ok.fetch, storage });
    await session.signIn('guest');
    const seen: unknown[] = [];
    session.subscribe((identity) => seen.push(identity?.userEntityRef));
    const refused = fakeGateway({ refreshStatus: 401 });
    const later = new AuthSession({ fetch: refused.fetch, storage });
    expect(await later.restore()).toBeUndefined();
    expect(storage.items.has('portal.auth.provider')).toBe(false);
    await session.signOut();
    expect(session.identity).toBeUndefined();
    expect(seen).toEqual([undefined]);
  });
});
