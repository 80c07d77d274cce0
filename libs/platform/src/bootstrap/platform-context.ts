import type { Logger } from 'pino';
import type { PublicKeyStore } from '../auth/public-key-store.js';
import type { ServiceTokenIssuer } from '../auth/service-token-issuer.js';
import type { SigningKey } from '../auth/signing-key.js';
import type { TokenVerifier } from '../auth/token-verifier.js';
import type { CacheService } from '../cache/cache.js';
import type { Config } from '../config/config.js';
import type { Database } from '../database/database.js';
import type { DiscoveryClient } from '../discovery/discovery-client.js';
import type { GrpcClients } from '../grpc/grpc-clients.js';
import type { Liveness } from '../health/liveness.js';
import type { Readiness } from '../health/readiness.js';
import type { Metrics } from '../telemetry/metrics.js';

/** Injection tokens for what has no class of its own. */
export const LOGGER = Symbol('portal.logger');
export const CACHE = Symbol('portal.cache');
export const PLATFORM = Symbol('portal.platform');

/** Everything the platform built for one service process, before NestJS started. */
export interface PlatformContext {
  pluginId: string;
  instanceId: string;
  version: string;
  environment: 'development' | 'production' | 'test';
  config: Config;
  logger: Logger;
  readiness: Readiness;
  liveness: Liveness;
  metrics: Metrics;
  cache: CacheService;
  signingKey: SigningKey;
  keyStore: PublicKeyStore;
  serviceTokens: ServiceTokenIssuer;
  verifier: TokenVerifier;
  grpcClients: GrpcClients;
  discovery?: DiscoveryClient;
  database?: Database;
}
