import { instanceKey, type Instance, type RegistryStore } from './registry-store.js';

/** One gateway's own memory: lost on restart (instances then register again by themselves). */
export class MemoryRegistryStore implements RegistryStore {
  private readonly entries = new Map<string, { instance: Instance; expiresAt: number }>();

  async put(instance: Instance, ttlMs: number): Promise<void> {
    this.entries.set(instanceKey(instance.pluginId, instance.instanceId), {
      instance,
      expiresAt: instance.lastHeartbeatAtMs + ttlMs,
    });
  }

  async touch(
    pluginId: string,
    instanceId: string,
    ttlMs: number,
    now: number,
  ): Promise<Instance | undefined> {
    const entry = this.entries.get(instanceKey(pluginId, instanceId));
    if (!entry || entry.expiresAt <= now) return undefined;
    entry.instance = { ...entry.instance, lastHeartbeatAtMs: now };
    entry.expiresAt = now + ttlMs;
    return entry.instance;
  }

  async delete(pluginId: string, instanceId: string): Promise<void> {
    this.entries.delete(instanceKey(pluginId, instanceId));
  }

  async all(now: number): Promise<Instance[]> {
    const live: Instance[] = [];
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt <= now) this.entries.delete(key);
      else live.push(entry.instance);
    }
    return live;
  }

  async close(): Promise<void> {
    this.entries.clear();
  }
}
