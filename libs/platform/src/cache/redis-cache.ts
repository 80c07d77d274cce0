import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { CacheService } from './cache.js';

/**
 * Redis-backed cache. A Redis outage degrades to no cache: reads miss, writes are dropped, and the
 * caller never sees an error. Commands fail fast while disconnected (no offline queue) so a request
 * never waits on a dead Redis; the client reconnects in the background.
 */
export class RedisCache implements CacheService {
  private lastWarning = 0;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly defaultTtlMs: number,
    private readonly logger: Logger,
    private readonly owner = true,
  ) {}

  /**
   * Connects, waiting up to two seconds for Redis to answer; a Redis that does not answer is not
   * an error: the cache starts degraded and recovers when Redis comes back.
   */
  static async connect(
    url: string,
    prefix: string,
    defaultTtlMs: number,
    logger: Logger,
  ): Promise<RedisCache> {
    const redis = new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 2000,
      commandTimeout: 500,
      retryStrategy: (times) => Math.min(times * 200, 5000),
      lazyConnect: false,
    });
    // Errors are reported through degrade(); without a listener ioredis would print them itself.
    redis.on('error', () => undefined);
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        redis.off('ready', done);
        redis.off('error', done);
        resolve();
      };
      const timer = setTimeout(done, 2000);
      redis.once('ready', done);
      redis.once('error', done);
    });
    if (redis.status !== 'ready')
      logger.warn({ url: redactUrl(url) }, 'Redis is not reachable, starting without a cache');
    return new RedisCache(redis, prefix, defaultTtlMs, logger);
  }

  private degrade(op: string, err: unknown) {
    const now = Date.now();
    if (now - this.lastWarning > 10_000) {
      this.lastWarning = now;
      this.logger.warn({ op, err: (err as Error).message }, 'cache unavailable, continuing without it');
    }
  }

  async get<T>(key: string): Promise<T | undefined> {
    try {
      const raw = await this.redis.get(this.prefix + key);
      return raw === null ? undefined : (JSON.parse(raw) as T);
    } catch (err) {
      this.degrade('get', err);
      return undefined;
    }
  }

  async set(key: string, value: unknown, options?: { ttlMs?: number }): Promise<void> {
    try {
      await this.redis.set(
        this.prefix + key,
        JSON.stringify(value),
        'PX',
        options?.ttlMs ?? this.defaultTtlMs,
      );
    } catch (err) {
      this.degrade('set', err);
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await this.redis.del(this.prefix + key);
    } catch (err) {
      this.degrade('delete', err);
    }
  }

  withNamespace(namespace: string): CacheService {
    return new RedisCache(this.redis, `${this.prefix}${namespace}:`, this.defaultTtlMs, this.logger, false);
  }

  async close(): Promise<void> {
    if (this.owner) this.redis.disconnect();
  }
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'redis://<invalid>';
  }
}
