import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * Short-lived sign-in state shared by the gateway replicas: pending authorization requests (by
 * state) and refresh sessions (by session id). Keys are hashed before storage, so the store never
 * holds a value that would work as a cookie. Memory for one gateway, Redis for several.
 */
export interface AuthStateStore {
  put(key: string, value: unknown, ttlSeconds: number): Promise<void>;
  get<T>(key: string): Promise<T | undefined>;
  /** Reads and deletes in one step: a pending sign-in can be completed once only. */
  take<T>(key: string): Promise<T | undefined>;
  delete(key: string): Promise<void>;
  close?(): Promise<void>;
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('base64url');
}

export class MemoryAuthStateStore implements AuthStateStore {
  private readonly entries = new Map<string, { value: string; expiresAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async put(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    this.sweep();
    this.entries.set(hashKey(key), {
      value: JSON.stringify(value),
      expiresAt: this.now() + ttlSeconds * 1000,
    });
  }

  async get<T>(key: string): Promise<T | undefined> {
    const entry = this.entries.get(hashKey(key));
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(hashKey(key));
      return undefined;
    }
    return JSON.parse(entry.value) as T;
  }

  async take<T>(key: string): Promise<T | undefined> {
    const value = await this.get<T>(key);
    this.entries.delete(hashKey(key));
    return value;
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(hashKey(key));
  }

  private sweep(): void {
    const now = this.now();
    for (const [k, v] of this.entries) if (v.expiresAt <= now) this.entries.delete(k);
  }
}

export class RedisAuthStateStore implements AuthStateStore {
  private readonly prefix: string;

  constructor(
    private readonly redis: Redis,
    options: { prefix?: string } = {},
  ) {
    this.prefix = `${options.prefix ?? 'portal:gateway:'}auth:`;
  }

  private k(key: string): string {
    return this.prefix + hashKey(key);
  }

  async put(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    await this.redis.set(this.k(key), JSON.stringify(value), 'EX', Math.max(1, Math.ceil(ttlSeconds)));
  }

  async get<T>(key: string): Promise<T | undefined> {
    const raw = await this.redis.get(this.k(key));
    return raw === null ? undefined : (JSON.parse(raw) as T);
  }

  async take<T>(key: string): Promise<T | undefined> {
    const raw = await this.redis.getdel(this.k(key));
    return raw === null ? undefined : (JSON.parse(raw) as T);
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.k(key));
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => undefined);
  }
}
