/**
 * Two gateway replicas sharing Redis agree: an instance registered with one is routed by both, the
 * user tokens one issues are accepted by the other, and an instance that stops heartbeating
 * expires in Redis for both. Runs when REDIS_URL is set (CI sets it).
 */
import { randomUUID } from 'node:crypto';
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

const redisUrl = process.env.REDIS_URL;
const describeRedis = redisUrl ? describe : describe.skip;
if (!redisUrl) console.warn('REDIS_URL is not set: skipping the two-gateway Redis registry test');

describeRedis('two gateway replicas sharing a Redis registry', () => {
  const prefix = testDatabasePrefix();
  const redisPrefix = `portal-test:${randomUUID()}:`;
  let a: PortalProcess;
  let b: PortalProcess;
  let catalog: PortalProcess;

  const plugins = async (gw: PortalProcess) =>
    ((await getJson(`${gw.url}/api/discovery/plugins`)).body.plugins as Array<{ id: string }>).map(
      (p) => p.id,
    );

  beforeAll(async () => {
    const { env, gatewayPorts: portsA } = await portalTestEnv({
      prefix,
      redis: true,
      overrides: {
        APP_CONFIG_gateway_registry_prefix: redisPrefix,
        APP_CONFIG_portal_discovery_ttlMs: '2000',
      },
    });
    const portsB = { http: await freePort(), grpc: await freePort() };
    a = await PortalProcess.start('gateway', env, portsA);
    b = await PortalProcess.start('gateway', env, portsB);
    // The catalog only knows gateway A.
    catalog = await PortalProcess.start('catalog', {
      ...env,
      PORTAL_GATEWAY_GRPC: `127.0.0.1:${portsA.grpc}`,
      PORTAL_GATEWAY_URL: `http://127.0.0.1:${portsA.http}`,
    });
    await waitFor(
      'catalog ready through A',
      async () => {
        return (await getJson(`${a.url}/api/catalog/.backstage/health/v1/readiness`)).status === 200;
      },
      60_000,
    );
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop(), catalog?.stop()]);
    await dropTestDatabases(prefix);
    const redis = new Redis(redisUrl!);
    const keys = await redis.keys(`${redisPrefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('routes through the replica the instance never talked to', async () => {
    await waitFor('B to see the catalog', async () => (await plugins(b)).includes('catalog'), 5000);
    const res = await getJson(`${b.url}/api/catalog/.backstage/health/v1/readiness`);
    expect(res.status).toBe(200);
  });

  it('accepts at one replica a user token issued by the other', async () => {
    const token = (await getJson(`${a.url}/api/auth/guest/refresh`)).body.backstageIdentity.token as string;
    const jwksB = (await getJson(`${b.url}/api/auth/.well-known/jwks.json`)).body.keys as Array<{
      kid: string;
    }>;
    const kid = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).kid;
    expect(jwksB.map((k) => k.kid)).toContain(kid);
    const info = await getJson(`${b.url}/api/catalog/.portal/v1/info`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(info.status).toBe(200);
    expect(info.body.caller).toBe('user:development/guest');
  });

  it('expires an instance that stopped heartbeating on both replicas', async () => {
    await catalog.stop('SIGKILL');
    await waitFor(
      'both replicas to drop the catalog',
      async () => {
        const [inA, inB] = await Promise.all([plugins(a), plugins(b)]);
        return !inA.includes('catalog') && !inB.includes('catalog');
      },
      10_000,
    );
  });
});
