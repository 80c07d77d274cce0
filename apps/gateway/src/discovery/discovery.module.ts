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
import { gatewayRedis } from '../gateway-config.js';

/** Memory for one gateway; Redis (see gatewayRedis) so that replicas share one registry. */
function createStore(config: Config, logger: Logger): RegistryStore {
  const redisConfig = gatewayRedis(config);
  logger.info({ store: redisConfig ? 'redis' : 'memory' }, 'discovery registry store');
  if (!redisConfig) return new MemoryRegistryStore();
  const redis = new Redis(redisConfig.connection, { maxRetriesPerRequest: 2, connectTimeout: 2000 });
  redis.on('error', (err: Error) => logger.warn({ err: err.message }, 'registry Redis error'));
  return new RedisRegistryStore(redis, `${redisConfig.prefix}instance:`);
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
