import type { Redis } from 'ioredis';
import { instanceKey, type Instance, type RegistryStore } from './registry-store.js';

/**
 * Instances in Redis, one key each with the lease as its TTL, so every gateway replica sees the
 * same registry and Redis itself expires instances that stopped heartbeating.
 */
export class RedisRegistryStore implements RegistryStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'portal:gateway:instance:',
  ) {}

  private key(pluginId: string, instanceId: string) {
    return this.prefix + instanceKey(pluginId, instanceId);
  }

  async put(instance: Instance, ttlMs: number): Promise<void> {
    await this.redis.set(
      this.key(instance.pluginId, instance.instanceId),
      JSON.stringify(instance),
      'PX',
      ttlMs,
    );
  }

  async touch(
    pluginId: string,
    instanceId: string,
    ttlMs: number,
    now: number,
  ): Promise<Instance | undefined> {
    const key = this.key(pluginId, instanceId);
    const raw = await this.redis.get(key);
    if (raw === null) return undefined;
    const instance = { ...(JSON.parse(raw) as Instance), lastHeartbeatAtMs: now };
    // XX: only while it still exists, so an expiry in between is not undone.
    const ok = await this.redis.set(key, JSON.stringify(instance), 'PX', ttlMs, 'XX');
    return ok === 'OK' ? instance : undefined;
  }

  async delete(pluginId: string, instanceId: string): Promise<void> {
    await this.redis.del(this.key(pluginId, instanceId));
  }

  async all(): Promise<Instance[]> {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await this.redis.scan(cursor, 'MATCH', `${this.prefix}*`, 'COUNT', 500);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    if (!keys.length) return [];
    const values = await this.redis.mget(...keys);
    return values.filter((v): v is string => v !== null).map((v) => JSON.parse(v) as Instance);
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
