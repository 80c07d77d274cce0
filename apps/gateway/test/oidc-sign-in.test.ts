/**
 * OpenID Connect sign-in end to end: a real OpenID provider (oidc-provider) in this process, the
 * gateway and the catalog as real processes with users and groups from a catalog file. The whole
 * authorization-code flow is driven with fetch (redirects followed by hand, cookies carried).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { AuthenticationError, SigningKey } from '@portal/platform';
import {
  MemoryAuthStateStore,
  OidcSignIn,
  UserTokenIssuer,
  type OidcEnvironmentSettings,
} from '../src/auth/index.js';
import { FakeUserCatalog, user } from '../src/auth/testing/fake-user-catalog.js';
import {
  dropTestDatabases,
  getJson,
  PortalProcess,
  portalTestEnv,
  testDatabasePrefix,
  waitFor,
} from '../../../test/support/portal-process.js';
import {
  browserFetch,
  CookieJar,
  followUntil,
  startTestOidcProvider,
  type TestOidcProvider,
} from './support/oidc-test-provider.js';

const prefix = testDatabasePrefix();

const ORG = `
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: jane }
spec:
  profile: { email: jane@example.com, displayName: Jane Doe }
  memberOf: [team-a]
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: bob }
spec:
  profile: { email: robert@elsewhere.example }
  memberOf: []
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: carol
  annotations: { portal.io/oidc-subject: carol-sub }
spec: { memberOf: [org] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: team-a }
spec: { type: team, parent: department, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: department }
spec: { type: department, parent: org, children: [team-a] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: org }
spec: { type: organization, children: [department] }
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: guest, namespace: development }
spec: { memberOf: ['group:default/guests'] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: guests }
spec: { type: team, children: [] }
`;

describe('OIDC sign-in through the gateway', () => {
  let gateway: PortalProcess;
  let catalog: PortalProcess;
  let idp: TestOidcProvider;
  let dir: string;
  let base: string;
  let callback: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'portal-oidc-'));
    await writeFile(join(dir, 'org.yaml'), ORG);
    const { env, gatewayPorts } = await portalTestEnv({ prefix });
    base = `http://127.0.0.1:${gatewayPorts.http}`;
    callback = `${base}/api/auth/oidc/handler/frame`;
    idp = await startTestOidcProvider({
      redirectUri: callback,
      accounts: {
        'jane-sub': { email: 'jane@example.com', name: 'Jane Doe' },
        // No email of a catalog user, but the local part is a user's name.
        'bob-sub': { email: 'bob@example.com', name: 'Bob' },
        'stranger-sub': { email: 'stranger@example.com', name: 'Stranger' },
        // Only the IdP subject links her to the catalog (annotation).
        'carol-sub': { name: 'Carol' },
      },
    });
    Object.assign(env, {
      // Permissions are the permission service's tests; here every signed-in user may read.
      APP_CONFIG_permission_enabled: 'false',
      APP_CONFIG_catalog_fileRoots: JSON.stringify([dir]),
      APP_CONFIG_catalog_locations: JSON.stringify([{ type: 'file', target: join(dir, 'org.yaml') }]),
      APP_CONFIG_catalog_processingInterval: JSON.stringify({ seconds: 2 }),
      APP_CONFIG_auth_allowedRedirectOrigins: JSON.stringify(['http://app.example.test:3000']),
      APP_CONFIG_auth_providers_oidc: JSON.stringify({
        development: {
          metadataUrl: idp.metadataUrl,
          clientId: idp.clientId,
          clientSecret: idp.clientSecret,
          signIn: {
            resolvers: [
              { resolver: 'emailMatchingUserEntityProfileEmail' },
              { resolver: 'emailLocalPartMatchingUserEntityName' },
              { resolver: 'userIdMatchingUserEntityAnnotation' },
            ],
          },
        },
      }),
    });
    gateway = await PortalProcess.start('gateway', env, gatewayPorts);
    catalog = await PortalProcess.start('catalog', env);
    await waitFor(
      'catalog ready',
      async () => (await getJson(`${base}/api/catalog/.backstage/health/v1/readiness`)).status === 200,
      60_000,
    );
    const guest = (await getJson(`${base}/api/auth/guest/refresh`)).body.backstageIdentity.token as string;
    await waitFor(
      'the catalog file processed',
      async () => {
        const res = await getJson(`${base}/api/catalog/entities/by-name/group/default/org`, {
          headers: { authorization: `Bearer ${guest}` },
        });
        const jane = await getJson(`${base}/api/catalog/entities/by-name/user/default/jane`, {
          headers: { authorization: `Bearer ${guest}` },
        });
        return res.status === 200 && jane.status === 200;
      },
      60_000,
    );
  });

  afterAll(async () => {
    await Promise.all([gateway?.stop(), catalog?.stop()]);
    await idp?.close();
    await dropTestDatabases(prefix);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const xhr = { 'x-requested-with': 'XMLHttpRequest' };

  /** Start → IdP (auto login and consent) → the callback URL with code and state. */
  async function toCallback(jar: CookieJar, account: string, query: string): Promise<string> {
    idp.signInAs(account);
    const start = await browserFetch(jar, `${base}/api/auth/oidc/start?${query}`);
    expect(start.status).toBe(302);
    expect(start.location!.startsWith(`${idp.issuer}/auth?`)).toBe(true);
    return followUntil(jar, start.location!, callback);
  }

  async function signIn(account: string): Promise<{ jar: CookieJar; setCookies: string[] }> {
    const jar = new CookieJar();
    const redirectUrl = `${base}/catalog?after=signin`;
    const url = await toCallback(
      jar,
      account,
      `env=development&flow=redirect&redirectUrl=${encodeURIComponent(redirectUrl)}`,
    );
    const done = await browserFetch(jar, url);
    expect({ status: done.status, text: done.text }).toMatchObject({ status: 302 });
    expect(done.location).toBe(redirectUrl);
    return { jar, setCookies: done.setCookies };
  }

  it('signs a catalog user in (redirect flow): refresh gives a token with the user and its groups, transitively', async () => {
    const { jar, setCookies } = await signIn('jane-sub');
    const cookie = setCookies.find((c) => c.startsWith('oidc-refresh-token='))!;
    expect(cookie).toMatch(/; Path=\/api\/auth\/oidc(;|$)/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).not.toMatch(/; Secure/); // http://127.0.0.1 only
    expect(cookie).toMatch(/; Max-Age=86400/);

    const refresh = await browserFetch(jar, `${base}/api/auth/oidc/refresh`, { headers: xhr });
    expect(refresh.status).toBe(200);
    const body = JSON.parse(refresh.text);
    expect(body.profile).toEqual({ email: 'jane@example.com', displayName: 'Jane Doe' });
    expect(body.providerInfo).toMatchObject({ accessToken: expect.any(String), scope: expect.any(String) });
    expect(body.backstageIdentity.identity).toEqual({
      type: 'user',
      userEntityRef: 'user:default/jane',
      ownershipEntityRefs: [
        'user:default/jane',
        'group:default/department',
        'group:default/org',
        'group:default/team-a',
      ],
    });
    const claims = decodeJwt(body.backstageIdentity.token);
    expect(claims.sub).toBe('user:default/jane');
    expect(claims.ent).toEqual(body.backstageIdentity.identity.ownershipEntityRefs);

    // The token works against the catalog through the gateway.
    const info = await getJson(`${base}/api/catalog/.portal/v1/info`, {
      headers: { authorization: `Bearer ${body.backstageIdentity.token}` },
    });
    expect(info.status).toBe(200);
    expect(info.body.caller).toBe('user:default/jane');
    const entity = await getJson(`${base}/api/catalog/entities/by-name/group/default/team-a`, {
      headers: { authorization: `Bearer ${body.backstageIdentity.token}` },
    });
    expect(entity.status).toBe(200);

    // Refresh works again (POST too), a fresh token each time.
    const again = await browserFetch(jar, `${base}/api/auth/oidc/refresh`, { method: 'POST', headers: xhr });
    expect(again.status).toBe(200);
    expect(JSON.parse(again.text).backstageIdentity.identity.userEntityRef).toBe('user:default/jane');

    // Without X-Requested-With (a cross-site navigation) refresh is refused.
    const csrf = await browserFetch(jar, `${base}/api/auth/oidc/refresh`);
    expect(csrf.status).toBe(401);

    // Logout clears the cookie and ends the session: the old cookie no longer refreshes.
    const sessionId = jar.get(base, 'oidc-refresh-token')!;
    const logout = await browserFetch(jar, `${base}/api/auth/oidc/logout`, { method: 'POST', headers: xhr });
    expect(logout.status).toBe(200);
    expect(logout.setCookies.find((c) => c.startsWith('oidc-refresh-token='))).toMatch(
      /Path=\/api\/auth\/oidc.*Expires=Thu, 01 Jan 1970/,
    );
    expect(jar.get(base, 'oidc-refresh-token')).toBeUndefined();
    const stale = new CookieJar();
    stale.set(base, 'oidc-refresh-token', sessionId);
    const after = await browserFetch(stale, `${base}/api/auth/oidc/refresh`, { headers: xhr });
    expect(after.status).toBe(401);
    expect(JSON.parse(after.text).error.name).toBe('AuthenticationError');
    const none = await browserFetch(new CookieJar(), `${base}/api/auth/oidc/refresh`, { headers: xhr });
    expect(none.status).toBe(401);
  });

  it('tries the resolvers in order: the email local part finds bob', async () => {
    const { jar } = await signIn('bob-sub');
    const refresh = await browserFetch(jar, `${base}/api/auth/oidc/refresh`, { headers: xhr });
    expect(JSON.parse(refresh.text).backstageIdentity.identity).toEqual({
      type: 'user',
      userEntityRef: 'user:default/bob',
      ownershipEntityRefs: ['user:default/bob'],
    });
  });

  it('finds a user by the IdP subject in the portal.io/oidc-subject annotation', async () => {
    const { jar } = await signIn('carol-sub');
    const refresh = await browserFetch(jar, `${base}/api/auth/oidc/refresh`, { headers: xhr });
    expect(JSON.parse(refresh.text)).toMatchObject({
      profile: { displayName: 'Carol' },
      backstageIdentity: {
        identity: {
          userEntityRef: 'user:default/carol',
          ownershipEntityRefs: ['user:default/carol', 'group:default/org'],
        },
      },
    });
  });

  it('answers the popup flow with a page posting the result to the app origin only', async () => {
    const jar = new CookieJar();
    const url = await toCallback(jar, 'jane-sub', `env=development&origin=${encodeURIComponent(base)}`);
    const done = await browserFetch(jar, url);
    expect(done.status).toBe(200);
    expect(done.res.headers.get('content-type')).toMatch(/text\/html/);
    expect(done.text).toContain(`postMessage(message, ${JSON.stringify(base)})`);
    const payload = /atob\('([A-Za-z0-9+/=]+)'\)/.exec(done.text)![1]!;
    const message = JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));
    expect(message.type).toBe('authorization_response');
    expect(message.response.backstageIdentity.identity.userEntityRef).toBe('user:default/jane');
    expect(done.setCookies.some((c) => c.startsWith('oidc-refresh-token='))).toBe(true);
  });

  it('refuses a user the catalog does not know, with a clear 401', async () => {
    const jar = new CookieJar();
    const url = await toCallback(
      jar,
      'stranger-sub',
      `env=development&flow=redirect&redirectUrl=${encodeURIComponent(`${base}/`)}`,
    );
    const done = await browserFetch(jar, url);
    expect(done.status).toBe(401);
    const body = JSON.parse(done.text);
    expect(body.error.name).toBe('AuthenticationError');
    expect(body.error.message).toMatch(/unable to resolve user identity/);
    expect(body.error.message).toMatch(/stranger@example.com/);
    expect(
      done.setCookies.some((c) => c.startsWith('oidc-refresh-token=') && !/Expires=Thu, 01 Jan 1970/.test(c)),
    ).toBe(false);

    // The popup flow is told the same through its opener, with the same status.
    const popupJar = new CookieJar();
    const popupUrl = await toCallback(popupJar, 'stranger-sub', 'env=development');
    const popup = await browserFetch(popupJar, popupUrl);
    expect(popup.status).toBe(401);
    const payload = /atob\('([A-Za-z0-9+/=]+)'\)/.exec(popup.text)![1]!;
    expect(JSON.parse(Buffer.from(payload, 'base64').toString('utf8')).error).toMatchObject({
      name: 'AuthenticationError',
    });
  });

  it('allows only listed redirect targets and origins, exactly', async () => {
    const start = (query: string) => browserFetch(new CookieJar(), `${base}/api/auth/oidc/start?${query}`);
    const allowed = await start(
      `env=development&flow=redirect&redirectUrl=${encodeURIComponent('http://app.example.test:3000/home')}`,
    );
    expect(allowed.status).toBe(302);
    for (const redirectUrl of [
      'https://evil.example/',
      'http://app.example.test:3001/home', // another port
      'https://app.example.test:3000/home', // another scheme
      `http://127.0.0.1.evil.example:${new URL(base).port}/`,
      `http://user:pw@127.0.0.1:${new URL(base).port}/`,
      '//evil.example/',
      'javascript:alert(1)',
      '/relative',
    ]) {
      const res = await start(`env=development&flow=redirect&redirectUrl=${encodeURIComponent(redirectUrl)}`);
      expect({ redirectUrl, status: res.status }).toEqual({ redirectUrl, status: 400 });
      expect(JSON.parse(res.text).error.name).toBe('InputError');
    }
    const origin = await start(`env=development&origin=${encodeURIComponent('https://evil.example')}`);
    expect(origin.status).toBe(400);
    const env = await start('env=staging');
    expect(env.status).toBe(400);
  });

  it('refuses a callback whose state is not the one this browser started with', async () => {
    // Flow A reaches the callback; browser B (a different pending sign-in) presents A's code.
    const a = new CookieJar();
    const urlA = await toCallback(a, 'jane-sub', 'env=development');
    const b = new CookieJar();
    await browserFetch(b, `${base}/api/auth/oidc/start?env=development`);
    const mismatch = await browserFetch(b, urlA);
    expect(mismatch.status).toBe(401);
    expect(JSON.parse(mismatch.text).error.message).toMatch(/state mismatch/);
    // No state cookie at all (a forged link).
    const forged = await browserFetch(new CookieJar(), urlA);
    expect(forged.status).toBe(401);
    // A made-up state with a matching cookie: no such pending sign-in.
    const c = new CookieJar();
    c.set(base, 'oidc-nonce', 'made-up-state');
    const madeUp = await browserFetch(c, `${callback}?code=x&state=made-up-state`);
    expect(madeUp.status).toBe(401);
    expect(JSON.parse(madeUp.text).error.message).toMatch(/expired or was already completed/);
    // The first presentation consumed A's pending sign-in: A itself cannot complete it any more.
    const replay = await browserFetch(a, urlA);
    expect(replay.status).toBe(401);
  });

  it('gives the guest its catalog groups', async () => {
    const res = await getJson(`${base}/api/auth/guest/refresh`);
    expect(res.body.backstageIdentity.identity.ownershipEntityRefs).toEqual([
      'user:development/guest',
      'group:default/guests',
    ]);
  });

  it('keeps the guest working while the catalog is down', async () => {
    await catalog.stop();
    const res = await getJson(`${base}/api/auth/guest/refresh`);
    expect(res.status).toBe(200);
    expect(res.body.backstageIdentity.identity.ownershipEntityRefs).toEqual(['user:development/guest']);
    // Sign-in cannot resolve users without the catalog: a 503, not a sign-in.
    const jar = new CookieJar();
    const url = await toCallback(
      jar,
      'jane-sub',
      `env=development&flow=redirect&redirectUrl=${encodeURIComponent(`${base}/`)}`,
    );
    const done = await browserFetch(jar, url);
    expect(done.status).toBe(503);
  });
});

describe('OidcSignIn against the OpenID provider (in process)', () => {
  const callbackUrl = 'http://127.0.0.1:9/api/auth/oidc/handler/frame';
  let idp: TestOidcProvider;
  let signIn: OidcSignIn;

  beforeAll(async () => {
    idp = await startTestOidcProvider({
      redirectUri: callbackUrl,
      accounts: { 'jane-sub': { email: 'jane@example.com' } },
    });
    const env: OidcEnvironmentSettings = {
      env: 'development',
      metadataUrl: idp.metadataUrl,
      clientId: idp.clientId,
      clientSecret: idp.clientSecret,
      callbackUrl,
      scope: 'openid email',
      sessionDurationSeconds: 3600,
      resolvers: [
        {
          resolver: 'emailMatchingUserEntityProfileEmail',
          dangerouslyAllowSignInWithoutUserInCatalog: false,
        },
      ],
    };
    signIn = new OidcSignIn({
      settings: { environments: new Map([['development', env]]), defaultEnv: 'development' },
      issuer: new UserTokenIssuer(await SigningKey.generate(), { issuer: 'http://127.0.0.1:9/api/auth' }),
      store: new MemoryAuthStateStore(),
      catalog: new FakeUserCatalog([user('jane', { profile: { email: 'jane@example.com' } })]),
      allowedOrigins: new Set(['http://127.0.0.1:9']),
      appOrigin: 'http://127.0.0.1:9',
    });
  });

  afterAll(() => idp?.close());

  async function callbackQuery(): Promise<{ query: URLSearchParams; state: string }> {
    const { url, state } = await signIn.start({});
    const params = new URL(url).searchParams;
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.get('nonce')).toBeTruthy();
    expect(params.get('state')).toBe(state);
    const back = await followUntil(new CookieJar(), url, callbackUrl);
    return { query: new URL(back).searchParams, state };
  }

  it('completes a sign-in', async () => {
    const { query, state } = await callbackQuery();
    const result = await signIn.handle(query, await signIn.takePending(query, state));
    expect(result.response.backstageIdentity.identity.userEntityRef).toBe('user:default/jane');
  });

  it('refuses an ID token whose nonce is not the pending sign-in one', async () => {
    const { query, state } = await callbackQuery();
    const pending = await signIn.takePending(query, state);
    const err = await signIn.handle(query, { ...pending, nonce: 'another-nonce' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect((err as Error).message).toMatch(/nonce/);
  });

  it('refuses a code redeemed with another PKCE verifier', async () => {
    const { query, state } = await callbackQuery();
    const pending = await signIn.takePending(query, state);
    const err = await signIn
      .handle(query, { ...pending, codeVerifier: 'x'.repeat(43) })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect((err as Error).message).toMatch(/invalid_grant/);
  });
});

describe('gateway in production', () => {
  it('refuses to start with the guest provider', async () => {
    const { env, gatewayPorts } = await portalTestEnv({ overrides: { NODE_ENV: 'production' } });
    const gateway = await PortalProcess.start('gateway', env, gatewayPorts);
    try {
      await waitFor('the gateway to exit', () => !gateway.alive, 30_000);
    } finally {
      await gateway.stop('SIGKILL');
    }
    expect(await gateway.stop()).not.toBe(0);
    expect(gateway.logs()).toMatch(/guest auth provider refuses to start outside development/);
  });
});
