import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { CacheService } from './cache.js';
import { MemoryCache } from './memory-cache.js';
import { RedisCache } from './redis-cache.js';

/**
 * `backend.cache.store: memory | redis`; without a store, Redis when a connection is configured
 * (REDIS_URL), memory otherwise. Keys live under `portal:<pluginId>:`.
 */
export async function createCache(config: Config, pluginId: string, logger: Logger): Promise<CacheService> {
  const connection = config.getOptionalString('backend.cache.connection');
  const store = config.getOptionalString('backend.cache.store') ?? (connection ? 'redis' : 'memory');
  const ttl = config.getOptionalNumber('backend.cache.defaultTtl') ?? 60_000;
  if (store === 'redis') {
    if (!connection)
      throw new Error("backend.cache.store is 'redis' but backend.cache.connection is not set");
    logger.info({ store }, 'cache');
    return await RedisCache.connect(connection, `portal:${pluginId}:`, ttl, logger);
  }
  return new MemoryCache(ttl).withNamespace(`portal:${pluginId}`);
}
