import { Redis } from 'ioredis';
import type { Config, Logger } from '@portal/platform';
import { gatewayRedis } from './gateway-config.js';
import { MemoryUserKeyStore, RedisUserKeyStore, type UserKeyStore } from './auth/index.js';

/**
 * Where the gateway publishes the keys it signs user tokens with: Redis when configured (every
 * replica's key is then in every replica's JWKS), this process's memory otherwise.
 */
export function createUserKeyStore(config: Config, logger: Logger): UserKeyStore {
  const redisConfig = gatewayRedis(config);
  if (!redisConfig) return new MemoryUserKeyStore();
  const redis = new Redis(redisConfig.connection, { maxRetriesPerRequest: 2, connectTimeout: 2000 });
  redis.on('error', (err: Error) => logger.warn({ err: err.message }, 'user key store Redis error'));
  return new RedisUserKeyStore(redis, { prefix: redisConfig.prefix });
}
