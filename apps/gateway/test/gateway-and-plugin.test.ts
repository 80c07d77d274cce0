/**
 * The gateway and a plugin service as real processes against the machine's PostgreSQL: registration,
 * requests through the gateway with the user's identity, gRPC health and auth, trace propagation,
 * SIGKILL (503 at once, dropped after the TTL), graceful shutdown and a gateway restart.
 */
import { credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { catalogV1 } from '@portal/proto';
import { HealthClient } from '../../../test/support/grpc-health.js';
import { OtlpCollector } from '../../../test/support/otlp-collector.js';
import {
  dropTestDatabases,
  getJson,
  PortalProcess,
  testDatabasePrefix,
  waitFor,
  portalTestEnv,
} from '../../../test/support/portal-process.js';

const prefix = testDatabasePrefix();
const externalToken = 'ci-bot-static-token-0123456789';

describe('gateway and a plugin service', () => {
  let gateway: PortalProcess;
  let catalog: PortalProcess;
  let gatewayPorts: { http: number; grpc: number };
  let env: Record<string, string | undefined>;
  const collector = new OtlpCollector();

  const startGateway = () => PortalProcess.start('gateway', env, gatewayPorts);
  const startCatalog = () => PortalProcess.start('catalog', env);
  const viaGateway = (path: string, init?: RequestInit) => getJson(`${gateway.url}${path}`, init);
  const catalogReadyViaGateway = () =>
    waitFor(
      'catalog ready through the gateway',
      async () => (await viaGateway('/api/catalog/.backstage/health/v1/readiness')).status === 200,
    );

  beforeAll(async () => {
    const otlpEndpoint = await collector.start();
    ({ env, gatewayPorts } = await portalTestEnv({
      prefix,
      overrides: {
        OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_BSP_SCHEDULE_DELAY: '200',
        APP_CONFIG_portal_discovery_ttlMs: '2000',
        APP_CONFIG_gateway_proxyTimeoutMs: '2000',
        APP_CONFIG_backend_auth_externalAccess: JSON.stringify([
          { type: 'static', options: { token: externalToken, subject: 'ci-bot' } },
        ]),
      },
    }));
    gateway = await startGateway();
    catalog = await startCatalog();
    await catalogReadyViaGateway();
  });

  afterAll(async () => {
    await Promise.all([gateway?.stop(), catalog?.stop()]);
    await collector.stop();
    await dropTestDatabases(prefix);
  });

  it('creates its own database, migrates and registers with its manifest', async () => {
    const plugins = await viaGateway('/api/discovery/plugins');
    expect(plugins.status).toBe(200);
    const entry = plugins.body.plugins.find((p: { id: string }) => p.id === 'catalog');
    expect(entry).toMatchObject({ id: 'catalog', version: '0.1.0', instances: 1 });
    expect(entry.manifest).toMatchObject({
      id: 'catalog',
      platform: '^1.0.0',
      grpc: ['portal.catalog.v1.CatalogService'],
    });
    expect(
      catalog.lines.some((l) => l.msg === 'ran database migrations' || l.msg === 'database reachable'),
    ).toBe(true);
    const readiness = await getJson(`${catalog.url}/.backstage/health/v1/readiness`);
    expect(readiness).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect((await getJson(`${catalog.url}/healthcheck`)).status).toBe(200);
    expect((await getJson(`${catalog.url}/.backstage/health/v1/liveness`)).body).toEqual({ status: 'ok' });
  });

  it('forwards a request with the user identity, and refuses missing or bad credentials', async () => {
    const refresh = await viaGateway('/api/auth/guest/refresh');
    expect(refresh.status).toBe(200);
    const token: string = refresh.body.backstageIdentity.token;
    const info = await viaGateway('/api/catalog/.portal/v1/info', {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(info.status).toBe(200);
    expect(info.body).toMatchObject({ pluginId: 'catalog', ready: true, caller: 'user:development/guest' });
    expect(info.headers.get('x-request-id')).toBeTruthy();

    const missing = await viaGateway('/api/catalog/.portal/v1/info');
    expect(missing.status).toBe(401);
    expect(missing.body).toEqual({
      error: { name: 'AuthenticationError', message: 'Missing credentials' },
      request: { method: 'GET', url: '/api/catalog/.portal/v1/info' },
      response: { statusCode: 401 },
    });

    const [header, payload] = token.split('.');
    const forged = `${header}.${payload}.${Buffer.from('not a signature').toString('base64url')}`;
    const bad = await viaGateway('/api/catalog/.portal/v1/info', {
      headers: { authorization: `Bearer ${forged}` },
    });
    expect(bad.status).toBe(401);
    expect(bad.body.error.name).toBe('AuthenticationError');

    const external = await viaGateway('/api/catalog/.portal/v1/info', {
      headers: { authorization: `Bearer ${externalToken}` },
    });
    expect(external.body.caller).toBe('external:ci-bot');
  });

  it('answers CORS preflights for the configured origin only', async () => {
    const preflight = (origin: string) =>
      fetch(`${gateway.url}/api/catalog/entities`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization',
        },
      });
    const allowed = await preflight(env.PORTAL_BASE_URL!);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(env.PORTAL_BASE_URL);
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    const other = await preflight('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers 404 for a plugin that was never installed and 413 for a body over the limit', async () => {
    const unknown = await viaGateway('/api/nosuchplugin/things');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.name).toBe('NotFoundError');
    const big = await viaGateway('/api/catalog/.portal/v1/info', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ blob: 'x'.repeat(11 * 1024 * 1024) }),
    });
    expect(big.status).toBe(413);
    expect(big.body.error.name).toBe('PayloadTooLargeError');
  });

  it('carries the W3C trace context from the gateway into the plugin', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await viaGateway('/api/catalog/.portal/v1/info', {
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01`, authorization: `Bearer ${externalToken}` },
    });
    const gatewayLine = await gateway.waitForLog(
      'request log with the trace id',
      (l) => l.traceId === traceId,
    );
    const pluginLine = await catalog.waitForLog(
      'request log with the trace id',
      (l) => l.traceId === traceId && l.msg === 'request',
    );
    expect(pluginLine.requestId).toBe(gatewayLine.requestId);
    // Both services exported spans of that trace to the OTLP endpoint.
    const exported = await waitFor('spans of the trace from both services', () => {
      const services = new Set(collector.spans.filter((s) => s.traceId === traceId).map((s) => s.service));
      return services.has('portal-gateway') && services.has('portal-catalog') ? services : undefined;
    });
    expect([...exported].sort()).toEqual(['portal-catalog', 'portal-gateway']);
    // The database is instrumented as well (the readiness monitor's pings).
    await waitFor('pg spans from the catalog', () =>
      collector.spans.some((s) => s.service === 'portal-catalog' && s.name.startsWith('pg')),
    );
  });

  it('serves grpc.health.v1 and GetInfo on the gRPC port, with service auth', async () => {
    const health = new HealthClient(`127.0.0.1:${catalog.grpcPort}`);
    expect(await health.check('')).toBe('SERVING');
    expect(await health.check('portal.catalog.v1.CatalogService')).toBe('SERVING');
    health.close();

    const client = new catalogV1.CatalogServiceClient(
      `127.0.0.1:${catalog.grpcPort}`,
      credentials.createInsecure(),
    );
    const call = (md: Metadata) =>
      new Promise<
        catalogV1.CatalogServiceClient extends { getInfo(r: never, m: never, cb: infer C): unknown }
          ? unknown
          : unknown
      >((resolve, reject) => client.getInfo({}, md, (err, res) => (err ? reject(err) : resolve(res))));
    const md = new Metadata();
    md.set('authorization', `Bearer ${externalToken}`);
    // W3C trace context arrives over gRPC too: the server span joins the caller's trace.
    const grpcTraceId = 'a3ce929d0e0e47364bf92f3577b34da6';
    md.set('traceparent', `00-${grpcTraceId}-00f067aa0ba902b7-01`);
    expect(await call(md)).toMatchObject({ pluginId: 'catalog', caller: 'external:ci-bot', ready: true });
    await waitFor('the gRPC server span in the caller trace', () =>
      collector.spans.some((s) => s.traceId === grpcTraceId && s.service === 'portal-catalog'),
    );
    await expect(call(new Metadata())).rejects.toMatchObject({
      code: status.UNAUTHENTICATED,
    } satisfies Partial<ServiceError>);
    client.close();
  });

  it('exposes Prometheus metrics: requests, latency, errors, pool usage, event-loop lag, gRPC', async () => {
    await viaGateway('/api/catalog/.portal/v1/info', {
      headers: { authorization: `Bearer ${externalToken}` },
    });
    const client = new catalogV1.CatalogServiceClient(
      `127.0.0.1:${catalog.grpcPort}`,
      credentials.createInsecure(),
    );
    const md = new Metadata();
    md.set('authorization', `Bearer ${externalToken}`);
    for (const metadata of [md, new Metadata()]) {
      await new Promise<void>((resolve) => client.getInfo({}, metadata, () => resolve()));
    }
    client.close();
    const res = await fetch(`${catalog.url}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(
      /^http_server_requests_total\{.*route="\/api\/catalog\/\.portal\/v1\/info".*\} \d+/m,
    );
    expect(text).toMatch(/^http_server_request_duration_seconds_bucket\{/m);
    expect(text).toMatch(/^db_pool_connections\{.*state="total".*\} \d+/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds\{/m);
    expect(text).toMatch(/^grpc_server_handled_total\{.*method="getInfo".*code="OK".*\} \d+/m);
    expect(text).toMatch(/^grpc_server_handled_total\{.*code="UNAUTHENTICATED".*\} \d+/m);
    expect(text).toContain('service="catalog"');
  });

  it('answers 503 at once when the instance dies, and drops it after the heartbeat timeout', async () => {
    await catalog.stop('SIGKILL');
    const started = Date.now();
    const dead = await viaGateway('/api/catalog/.backstage/health/v1/readiness');
    expect(dead.status).toBe(503);
    expect(dead.body.error.name).toBe('ServiceUnavailableError');
    expect(Date.now() - started).toBeLessThan(1000);

    await waitFor(
      'the registry to drop the dead instance',
      async () => {
        const { body } = await viaGateway('/api/discovery/plugins');
        return !body.plugins.some((p: { id: string }) => p.id === 'catalog');
      },
      10_000,
    );
    const afterExpiry = await viaGateway('/api/catalog/anything');
    expect(afterExpiry.status).toBe(503);
  });

  it('re-registers by itself after a gateway restart', async () => {
    catalog = await startCatalog();
    await catalogReadyViaGateway();
    expect(await gateway.stop('SIGTERM')).toBe(0);
    gateway = await startGateway();
    await catalogReadyViaGateway();
    await catalog.waitForLog(
      're-registration',
      (l) => l.msg === 'gateway forgot this instance, registering again',
    );
  });

  it('deregisters and exits cleanly on SIGTERM', async () => {
    expect(await catalog.stop('SIGTERM')).toBe(0);
    expect(catalog.lines.some((l) => l.msg === 'deregistered from the gateway')).toBe(true);
    // Gone from the registry at once, not after the TTL.
    const { body } = await viaGateway('/api/discovery/plugins');
    expect(body.plugins.some((p: { id: string }) => p.id === 'catalog')).toBe(false);
  });
});
