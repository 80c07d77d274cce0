/**
 * What the gateway's proxy promises (streams pass through unbuffered, a hanging upstream is a
 * 504) and what the platform's gRPC clients promise (discovery, service tokens verified with keys
 * from discovery, retry on UNAVAILABLE on another instance), with the gateway and two catalog
 * instances as real processes and a plugin of the test's own registered through DiscoveryClient.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { pino } from 'pino';
import { catalogV1 } from '@portal/proto';
import {
  DiscoveryClient,
  GrpcClients,
  PLATFORM_VERSION,
  PublicKeyStore,
  Readiness,
  ServiceTokenIssuer,
  SigningKey,
} from '@portal/platform';
import {
  dropTestDatabases,
  getJson,
  PortalProcess,
  portalTestEnv,
  testDatabasePrefix,
  waitFor,
} from '../../../test/support/portal-process.js';

const prefix = testDatabasePrefix();
const logger = pino({ level: 'silent' });

describe('proxy streaming and service-to-service calls', () => {
  let gateway: PortalProcess;
  const catalogs: PortalProcess[] = [];
  let upstream: Server;
  let discovery: DiscoveryClient;
  let clients: GrpcClients;
  let releaseSecondEvent: () => void = () => undefined;
  let receivedUpload = '';

  beforeAll(async () => {
    const { env, gatewayPorts: ports } = await portalTestEnv({
      prefix,
      overrides: { APP_CONFIG_portal_discovery_ttlMs: '5000', APP_CONFIG_gateway_proxyTimeoutMs: '1500' },
    });
    const secret = env.PORTAL_DISCOVERY_SECRET!;
    gateway = await PortalProcess.start('gateway', env, ports);
    catalogs.push(await PortalProcess.start('catalog', env), await PortalProcess.start('catalog', env));

    // A plugin of the test's own: an HTTP upstream that streams, hangs and echoes.
    upstream = createServer((req, res) => {
      if (req.url === '/api/fakeplugin/events') {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        res.write('event: first\ndata: 1\n\n');
        releaseSecondEvent = () => res.end('event: second\ndata: 2\n\n');
        return;
      }
      if (req.url === '/api/fakeplugin/hang') return; // never answers
      if (req.url === '/api/fakeplugin/upload') {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          receivedUpload = Buffer.concat(chunks).toString();
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({ bytes: receivedUpload.length, identity: req.headers.authorization ?? null }),
          );
        });
        return;
      }
      res.writeHead(404).end();
    });
    upstream.listen(0, '127.0.0.1');
    await once(upstream, 'listening');
    const port = (upstream.address() as { port: number }).port;

    const key = await SigningKey.generate();
    const readiness = new Readiness();
    discovery = new DiscoveryClient({
      gatewayAddress: `127.0.0.1:${ports.grpc}`,
      secret,
      logger,
      readiness,
      keyStore: new PublicKeyStore(),
      heartbeatIntervalMs: 300,
    });
    discovery.start({
      pluginId: 'fakeplugin',
      instanceId: 'fakeplugin-1',
      httpAddress: `http://127.0.0.1:${port}`,
      grpcAddress: '',
      version: '1.0.0',
      manifestJson: JSON.stringify({ id: 'fakeplugin', version: '1.0.0', platform: `^${PLATFORM_VERSION}` }),
      publicKeyJwk: JSON.stringify(key.publicJwk()),
    });
    clients = new GrpcClients(discovery, new ServiceTokenIssuer('fakeplugin', key), logger);
    await waitFor('the test plugin to register', () => readiness.isReady());
    await waitFor('both catalog instances', () => discovery.instances('catalog').length === 2, 60_000);
    await waitFor('catalogs ready', async () => {
      const states = await Promise.all(
        catalogs.map((c) => getJson(`${c.url}/.backstage/health/v1/readiness`)),
      );
      return states.every((s) => s.status === 200);
    });
  });

  afterAll(async () => {
    clients?.close();
    await discovery?.stop();
    upstream?.closeAllConnections();
    upstream?.close();
    await Promise.all([gateway?.stop(), ...catalogs.map((c) => c.stop())]);
    await dropTestDatabases(prefix);
  });

  it('streams server-sent events through the gateway without buffering', async () => {
    const res = await fetch(`${gateway.url}/api/fakeplugin/events`);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    // The second event is only written after the first arrived here.
    expect(first).toBe('event: first\ndata: 1\n\n');
    releaseSecondEvent();
    let rest = '';
    for (let r = await reader.read(); !r.done; r = await reader.read())
      rest += new TextDecoder().decode(r.value);
    expect(rest).toBe('event: second\ndata: 2\n\n');
  });

  it('streams a chunked request body through and forwards the credentials', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 64; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(1024)));
        controller.close();
      },
    });
    const res = await getJson(`${gateway.url}/api/fakeplugin/upload`, {
      method: 'POST',
      body,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ bytes: 65536, identity: null });
  });

  it('answers 504 with a JSON error when the upstream hangs', async () => {
    const started = Date.now();
    const res = await getJson(`${gateway.url}/api/fakeplugin/hang`);
    expect(res.status).toBe(504);
    expect(res.body.error.name).toBe('GatewayTimeoutError');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('calls another plugin over gRPC with a service token it verifies through discovery', async () => {
    const info = await clients.unary('catalog', catalogV1.CatalogServiceClient, (c) => c.getInfo, {});
    expect(info).toMatchObject({ pluginId: 'catalog', caller: 'plugin:fakeplugin', ready: true });
    // Round robin: both instances answer.
    const seen = new Set<string>();
    for (let i = 0; i < 6; i++) {
      seen.add(
        (await clients.unary('catalog', catalogV1.CatalogServiceClient, (c) => c.getInfo, {})).instanceId,
      );
    }
    expect(seen.size).toBe(2);
  });

  it('retries UNAVAILABLE on another instance when one dies', async () => {
    await catalogs[0]!.stop('SIGKILL');
    // The dead instance stays in discovery until its TTL: every call must still succeed, over
    // gRPC from a plugin and over HTTP through the gateway.
    for (let i = 0; i < 8; i++) {
      const info = await clients.unary(
        'catalog',
        catalogV1.CatalogServiceClient,
        (c) => c.getInfo,
        {},
        { deadlineMs: 2000 },
      );
      expect(info.pluginId).toBe('catalog');
    }
    for (let i = 0; i < 6; i++) {
      const res = await getJson(`${gateway.url}/api/catalog/.backstage/health/v1/readiness`);
      expect(res.status).toBe(200);
    }
  });
});
