import { Redis } from 'ioredis';
import type { Config, Logger } from '@portal/platform';
import { MemoryUserKeyStore, RedisUserKeyStore, type UserKeyStore } from './auth/index.js';

/**
 * Where the gateway publishes the keys it signs user tokens with: Redis when configured (every
 * replica's key is then in every replica's JWKS), this process's memory otherwise.
 */
export function createUserKeyStore(config: Config, logger: Logger): UserKeyStore {
  const connection =
    config.getOptionalString('gateway.registry.connection') ??
    config.getOptionalString('backend.cache.connection');
  if (!connection) return new MemoryUserKeyStore();
  const redis = new Redis(connection, { maxRetriesPerRequest: 2, connectTimeout: 2000 });
  redis.on('error', (err: Error) => logger.warn({ err: err.message }, 'user key store Redis error'));
  return new RedisUserKeyStore(redis);
}
