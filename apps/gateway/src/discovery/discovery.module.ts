import { Inject, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Redis } from 'ioredis';
import { Config, LOGGER, PublicKeyStore, type Logger } from '@portal/platform';
import { DiscoveryController } from './discovery.controller.js';
import { DiscoveryGrpcController } from './discovery.grpc.controller.js';
import { DiscoveryRegistry } from './discovery-registry.js';
import { MemoryRegistryStore } from './memory-registry-store.js';
import { RedisRegistryStore } from './redis-registry-store.js';
import type { RegistryStore } from './registry-store.js';
import { REGISTRATION_SECRET } from './tokens.js';

/**
 * `gateway.registry.store: memory | redis`; by default Redis when `backend.cache.connection`
 * (REDIS_URL) is set, so that gateway replicas share one registry.
 */
function createStore(config: Config, logger: Logger): RegistryStore {
  const connection =
    config.getOptionalString('gateway.registry.connection') ??
    config.getOptionalString('backend.cache.connection');
  const store = config.getOptionalString('gateway.registry.store') ?? (connection ? 'redis' : 'memory');
  logger.info({ store }, 'discovery registry store');
  if (store === 'redis') {
    if (!connection)
      throw new Error("gateway.registry.store is 'redis' but no Redis connection is configured");
    const redis = new Redis(connection, {
      maxRetriesPerRequest: 2,
      connectTimeout: 2000,
      enableOfflineQueue: true,
    });
    redis.on('error', (err: Error) => logger.warn({ err: err.message }, 'registry Redis error'));
    return new RedisRegistryStore(redis);
  }
  return new MemoryRegistryStore();
}

@Module({
  controllers: [DiscoveryController, DiscoveryGrpcController],
  providers: [
    {
      provide: REGISTRATION_SECRET,
      inject: [Config],
      useFactory: (config: Config) => {
        const secret = config.getOptionalString('portal.discovery.secret');
        if (!secret)
          throw new Error(
            'Missing required config value at portal.discovery.secret (set PORTAL_DISCOVERY_SECRET)',
          );
        return secret;
      },
    },
    {
      provide: DiscoveryRegistry,
      inject: [Config, PublicKeyStore, LOGGER],
      useFactory: (config: Config, keyStore: PublicKeyStore, logger: Logger) =>
        new DiscoveryRegistry(createStore(config, logger), keyStore, logger, {
          heartbeatIntervalMs: config.getOptionalNumber('portal.discovery.heartbeatIntervalMs') ?? 2000,
          ttlMs: config.getOptionalNumber('portal.discovery.ttlMs') ?? 7000,
        }),
    },
  ],
  exports: [DiscoveryRegistry],
})
export class DiscoveryModule implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(DiscoveryRegistry) private readonly registry: DiscoveryRegistry) {}

  onModuleInit() {
    this.registry.start();
  }

  async onApplicationShutdown() {
    await this.registry.stop();
  }
}
