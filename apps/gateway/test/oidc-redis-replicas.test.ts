/**
 * Two gateway replicas sharing Redis share sign-in: a sign-in started on A completes on B, the
 * session refreshes on either, and logout on one ends it for both. The catalog only knows gateway
 * A, so B's catalog lookups prove B's service key reaches it through the shared registry.
 * Runs when REDIS_URL is set (CI sets it).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import {
  dropTestDatabases,
  freePort,
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

const redisUrl = process.env.REDIS_URL;
const describeRedis = redisUrl ? describe : describe.skip;
if (!redisUrl) console.warn('REDIS_URL is not set: skipping the two-gateway OIDC session test');

const ORG = `
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: jane }
spec: { profile: { email: jane@example.com }, memberOf: [team-a] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: team-a }
spec: { type: team, parent: org, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: org }
spec: { type: organization, children: [team-a] }
`;

describeRedis('OIDC sign-in across two gateway replicas sharing Redis', () => {
  const prefix = testDatabasePrefix();
  const redisPrefix = `portal-test:${randomUUID()}:`;
  let a: PortalProcess;
  let b: PortalProcess;
  let catalog: PortalProcess;
  let idp: TestOidcProvider;
  let dir: string;
  let callback: string;
  const xhr = { 'x-requested-with': 'XMLHttpRequest' };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'portal-oidc-redis-'));
    await writeFile(join(dir, 'org.yaml'), ORG);
    const { env, gatewayPorts: portsA } = await portalTestEnv({ prefix, redis: true });
    callback = `http://127.0.0.1:${portsA.http}/api/auth/oidc/handler/frame`;
    idp = await startTestOidcProvider({
      redirectUri: callback,
      accounts: { 'jane-sub': { email: 'jane@example.com' } },
    });
    Object.assign(env, {
      APP_CONFIG_gateway_registry_prefix: redisPrefix,
      APP_CONFIG_portal_discovery_ttlMs: '2000',
      APP_CONFIG_permission_enabled: 'false',
      APP_CONFIG_catalog_fileRoots: JSON.stringify([dir]),
      APP_CONFIG_catalog_locations: JSON.stringify([{ type: 'file', target: join(dir, 'org.yaml') }]),
      APP_CONFIG_auth_providers_oidc: JSON.stringify({
        metadataUrl: idp.metadataUrl,
        clientId: idp.clientId,
        clientSecret: idp.clientSecret,
        signIn: { resolvers: [{ resolver: 'emailMatchingUserEntityProfileEmail' }] },
      }),
    });
    const portsB = { http: await freePort(), grpc: await freePort() };
    a = await PortalProcess.start('gateway', env, portsA);
    b = await PortalProcess.start('gateway', env, portsB);
    catalog = await PortalProcess.start('catalog', {
      ...env,
      PORTAL_GATEWAY_GRPC: `127.0.0.1:${portsA.grpc}`,
      PORTAL_GATEWAY_URL: `http://127.0.0.1:${portsA.http}`,
    });
    const guest = async () =>
      (await getJson(`${a.url}/api/auth/guest/refresh`)).body.backstageIdentity.token as string;
    await waitFor(
      'jane in the catalog, through B',
      async () =>
        (
          await getJson(`${b.url}/api/catalog/entities/by-name/user/default/jane`, {
            headers: { authorization: `Bearer ${await guest()}` },
          })
        ).status === 200,
      60_000,
    );
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop(), catalog?.stop()]);
    await idp?.close();
    await dropTestDatabases(prefix);
    if (dir) await rm(dir, { recursive: true, force: true });
    const redis = new Redis(redisUrl!);
    const keys = await redis.keys(`${redisPrefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  /** The browser's cookies of one replica, as the other would receive them behind one host name. */
  const moveCookies = (jar: CookieJar, from: string, to: string, names: string[]) => {
    for (const name of names) {
      const value = jar.get(from, name);
      if (value) jar.set(to, name, value);
    }
  };

  it('starts on A, completes on B, refreshes on both, logs out once for both', async () => {
    const jar = new CookieJar();
    const start = await browserFetch(
      jar,
      `${a.url}/api/auth/oidc/start?flow=redirect&redirectUrl=${encodeURIComponent(`${a.url}/`)}`,
    );
    expect(start.status).toBe(302);
    const back = new URL(await followUntil(jar, start.location!, callback));
    moveCookies(jar, a.url, b.url, ['oidc-nonce']);
    const done = await browserFetch(jar, `${b.url}${back.pathname}${back.search}`);
    expect({ status: done.status, text: done.text }).toMatchObject({ status: 302 });
    moveCookies(jar, b.url, a.url, ['oidc-refresh-token']);

    for (const gw of [a, b]) {
      const refresh = await browserFetch(jar, `${gw.url}/api/auth/oidc/refresh`, { headers: xhr });
      expect({ gw: gw.url, status: refresh.status }).toEqual({ gw: gw.url, status: 200 });
      expect(JSON.parse(refresh.text).backstageIdentity.identity.ownershipEntityRefs).toEqual([
        'user:default/jane',
        'group:default/org',
        'group:default/team-a',
      ]);
    }

    const logout = await browserFetch(jar, `${a.url}/api/auth/oidc/logout`, { method: 'POST', headers: xhr });
    expect(logout.status).toBe(200);
    const afterLogout = await browserFetch(jar, `${b.url}/api/auth/oidc/refresh`, { headers: xhr });
    expect(afterLogout.status).toBe(401);
  });
});
