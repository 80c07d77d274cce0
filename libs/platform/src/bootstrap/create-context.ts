import { randomUUID } from 'node:crypto';
import { createRemoteJWKSet } from 'jose';
import { PublicKeyStore } from '../auth/public-key-store.js';
import { ServiceTokenIssuer } from '../auth/service-token-issuer.js';
import { SigningKey } from '../auth/signing-key.js';
import { TokenVerifier } from '../auth/token-verifier.js';
import { createCache } from '../cache/create-cache.js';
import type { Config } from '../config/config.js';
import { portalEnvironment } from '../config/environment.js';
import { Database } from '../database/database.js';
import { DiscoveryClient } from '../discovery/discovery-client.js';
import { GrpcClients } from '../grpc/grpc-clients.js';
import { Liveness } from '../health/liveness.js';
import { Readiness } from '../health/readiness.js';
import { createLogger } from '../logging/logger.js';
import { Metrics } from '../telemetry/metrics.js';
import type { PlatformContext } from './platform-context.js';
import type { KeyGetter, ServiceDefinition } from './service-definition.js';

/** Builds the platform's pieces from configuration (no servers started yet). */
export async function createContext(def: ServiceDefinition, config: Config): Promise<PlatformContext> {
  const pluginId = def.pluginId;
  const environment = portalEnvironment(config);
  const logger = createLogger({
    service: pluginId,
    level: process.env.LOG_LEVEL || config.getOptionalString('portal.logging.level') || 'info',
  });
  const readiness = new Readiness();
  const liveness = new Liveness();
  const instanceId = `${pluginId}-${randomUUID().slice(0, 8)}`;
  const metrics = new Metrics({ service: pluginId });
  const cache = await createCache(config, pluginId, logger);
  const signingKey = await SigningKey.generate();
  const keyStore = new PublicKeyStore();
  const serviceTokens = new ServiceTokenIssuer(pluginId, signingKey);
  const role = def.role ?? 'plugin';

  let discovery: DiscoveryClient | undefined;
  const endpoints = (config.getOptionalConfig('portal.discovery.endpoints')?.get() ?? {}) as Record<
    string,
    { grpc?: string; http?: string }
  >;
  if (role === 'plugin') {
    const secret = config.getOptionalString('portal.discovery.secret');
    if (!secret) {
      throw new Error(
        'Missing required config value at portal.discovery.secret (set PORTAL_DISCOVERY_SECRET)',
      );
    }
    discovery = new DiscoveryClient({
      gatewayAddress: config.getOptionalString('portal.discovery.gatewayAddress') ?? '127.0.0.1:7008',
      secret,
      logger,
      readiness,
      keyStore,
      staticEndpoints: endpoints,
      heartbeatIntervalMs: config.getOptionalNumber('portal.discovery.heartbeatIntervalMs'),
    });
  }
  const grpcClients = new GrpcClients(
    discovery ?? { resolveGrpc: (id: string) => endpoints[id]?.grpc },
    serviceTokens,
    logger,
  );
  const database = def.database
    ? new Database(config, { pluginId, ...def.database }, logger, readiness, metrics)
    : undefined;

  const partial = {
    pluginId,
    instanceId,
    version: def.version,
    environment,
    config,
    logger,
    readiness,
    liveness,
    metrics,
    cache,
    signingKey,
    keyStore,
    serviceTokens,
    grpcClients,
    discovery,
    database,
  };
  const gatewayUrl = config.getOptionalString('portal.discovery.gatewayUrl') ?? 'http://127.0.0.1:7007';
  const userKeys = def.userKeys
    ? def.userKeys(partial)
    : (createRemoteJWKSet(new URL('/api/auth/.well-known/jwks.json', gatewayUrl), {
        cooldownDuration: 30_000,
        cacheMaxAge: 10 * 60_000,
      }) as KeyGetter);
  const verifier = new TokenVerifier({
    pluginId,
    userKeys,
    serviceKeys: keyStore,
    externalAccess: TokenVerifier.externalAccessFromConfig(config),
  });
  return { ...partial, verifier };
}
