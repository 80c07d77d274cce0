// `portal-bench permissions`: batches of decisions over the permission service's gRPC Authorize.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  createLogger,
  DiscoveryClient,
  GrpcClients,
  PLATFORM_VERSION,
  PublicKeyStore,
  Readiness,
  ServiceTokenIssuer,
  SigningKey,
} from '@portal/platform';
import { permissionV1 } from '@portal/proto';
import { PortalUnderTest, poll } from './services.js';
import { summarize, timed, type LatencySummary } from './stats.js';

export interface PermissionBenchOptions {
  databaseUrl: string;
  outDir: string;
  /** Calls of one batch each. */
  calls: number;
  /** Decisions per call. */
  batch: number;
  log(line: string): void;
}

export interface PermissionBenchResult {
  date: string;
  calls: number;
  batch: number;
  /** Half basic permissions (allowed and denied), half resource permissions (CONDITIONAL). */
  authorize: LatencySummary;
  target: { p99Ms: number; met: boolean };
}

const GUEST = 'user:development/guest';
const POLICY = `
roles:
  - name: readers
    members: [${GUEST}, group:default/readers]
grants:
  - role: readers
    permission: catalog.location.read
conditions:
  - role: readers
    resourceType: catalog-entity
    action: read
    conditions:
      anyOf:
        - rule: IS_ENTITY_OWNER
          params: { claims: $ownershipRefs }
        - rule: HAS_LABEL
          params: { label: public }
`;

function items(batch: number, round: number): permissionV1.AuthorizeItem[] {
  return Array.from({ length: batch }, (_, i) => {
    const kind = (i + round) % 4;
    const permission =
      kind === 0
        ? { type: 'basic', name: 'catalog.location.read', attributes: { action: 'read' } }
        : kind === 1
          ? { type: 'basic', name: 'catalog.location.create', attributes: { action: 'create' } }
          : {
              type: 'resource',
              name: 'catalog.entity.read',
              attributes: { action: 'read' },
              resourceType: 'catalog-entity',
            };
    return { id: `${round}-${i}`, permissionJson: JSON.stringify(permission), resourceRef: '' };
  });
}

/** Starts a gateway and the permission service, registers as a plugin, times Authorize calls. */
export async function runPermissionBench(options: PermissionBenchOptions): Promise<PermissionBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'portal-bench-permission-'));
  const policyFile = join(dir, 'policy.yaml');
  writeFileSync(policyFile, POLICY);
  const portal = new PortalUnderTest({
    databaseUrl: options.databaseUrl,
    catalogConfig: {},
    token: `bench-token-${Date.now().toString(36)}-0123456789abcdef`,
    replicas: 0,
  });
  const logger = createLogger({ service: 'bench', level: 'warn' });
  let discovery: DiscoveryClient | undefined;
  let clients: GrpcClients | undefined;
  try {
    await portal.startGateway();
    options.log('starting the permission service');
    await portal.startApp('permission', { APP_CONFIG_permission_policyFile: policyFile });
    const key = await SigningKey.generate();
    const readiness = new Readiness();
    discovery = new DiscoveryClient({
      gatewayAddress: portal.discovery.gatewayAddress,
      secret: portal.discovery.secret,
      logger,
      readiness,
      keyStore: new PublicKeyStore(),
      heartbeatIntervalMs: 1000,
    });
    discovery.start({
      pluginId: 'benchplugin',
      instanceId: 'benchplugin-1',
      httpAddress: 'http://127.0.0.1:9',
      grpcAddress: '',
      version: '1.0.0',
      manifestJson: JSON.stringify({ id: 'benchplugin', version: '1.0.0', platform: `^${PLATFORM_VERSION}` }),
      publicKeyJwk: JSON.stringify(key.publicJwk()),
    });
    clients = new GrpcClients(discovery, new ServiceTokenIssuer('benchplugin', key), logger);
    await poll('the bench to register', async () => readiness.isReady(), 30_000);
    await poll(
      'the permission service to be discovered',
      async () => discovery!.instances('permission').length > 0,
      30_000,
    );
    const response = await fetch(`${portal.gatewayUrl}/api/auth/guest/refresh`);
    const guestToken = ((await response.json()) as { backstageIdentity: { token: string } }).backstageIdentity
      .token;
    const authorize = (round: number) =>
      clients!.unary(
        'permission',
        permissionV1.PermissionServiceClient,
        (c) => c.authorize,
        { items: items(options.batch, round) },
        { onBehalfOf: guestToken },
      );
    const first = await authorize(0);
    const results = new Set(first.items.map((d) => d.result));
    if (!results.has('ALLOW') || !results.has('DENY') || !results.has('CONDITIONAL')) {
      throw new Error(`expected ALLOW, DENY and CONDITIONAL decisions, got ${[...results].join(', ')}`);
    }
    for (let i = 0; i < 50; i++) await authorize(i); // warm-up
    options.log(`timing ${options.calls} calls of ${options.batch} decisions`);
    const times: number[] = [];
    for (let i = 0; i < options.calls; i++) times.push((await timed(() => authorize(i))).ms);
    const authorizeSummary = summarize(times);
    const result: PermissionBenchResult = {
      date: new Date().toISOString(),
      calls: options.calls,
      batch: options.batch,
      authorize: authorizeSummary,
      target: { p99Ms: 15, met: authorizeSummary.p99 <= 15 },
    };
    mkdirSync(options.outDir, { recursive: true });
    const file = resolve(
      options.outDir,
      `${result.date.slice(0, 19).replace(/[:T]/g, '-')}-permissions.json`,
    );
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    options.log(`results written to ${file}`);
    return result;
  } finally {
    clients?.close();
    await discovery?.stop();
    await portal.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatPermissionResult(result: PermissionBenchResult): string {
  const s = result.authorize;
  return (
    `Permission decisions: ${result.calls} gRPC Authorize calls of ${result.batch} (basic allowed and denied, conditional)\n` +
    `p50 ${s.p50} ms  p95 ${s.p95} ms  p99 ${s.p99} ms  max ${s.max} ms\n` +
    `target p99 ≤ ${result.target.p99Ms} ms: ${result.target.met ? 'met' : 'NOT met'}\n`
  );
}
