import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { RedisCache } from './redis-cache.js';

const logger = pino({ level: 'silent' });
const describeRedis = process.env.REDIS_URL ? describe : describe.skip;
if (!process.env.REDIS_URL) console.warn('REDIS_URL is not set: skipping the Redis cache tests');

describeRedis('RedisCache against a real Redis', () => {
  const prefix = `portal-test:${randomUUID()}:`;
  let cache: RedisCache;
  beforeAll(async () => {
    cache = await RedisCache.connect(process.env.REDIS_URL!, prefix, 60_000, logger);
  });
  afterAll(() => cache.close());

  it('stores, expires and deletes namespaced JSON values', async () => {
    const ns = cache.withNamespace('ns');
    await ns.set('k', { deep: [1, 2] });
    expect(await ns.get('k')).toEqual({ deep: [1, 2] });
    expect(await cache.get('k')).toBeUndefined();
    await ns.set('short', 1, { ttlMs: 50 });
    await new Promise((r) => setTimeout(r, 120));
    expect(await ns.get('short')).toBeUndefined();
    await ns.delete('k');
    expect(await ns.get('k')).toBeUndefined();
  });
});

describe('RedisCache when Redis is down', () => {
  it('degrades to no cache: misses and dropped writes, quickly and without errors', async () => {
    // Nothing listens on port 1 of loopback.
    const cache = await RedisCache.connect('redis://127.0.0.1:1', 'portal-test:', 60_000, logger);
    const started = Date.now();
    await expect(cache.set('k', 'v')).resolves.toBeUndefined();
    await expect(cache.get('k')).resolves.toBeUndefined();
    await expect(cache.delete('k')).resolves.toBeUndefined();
    expect(Date.now() - started).toBeLessThan(2000);
    await cache.close();
  });
});
