import type { CacheService } from './cache.js';

interface Entry {
  value: string;
  expiresAt: number;
}

/** In-process cache with TTLs and a size bound (oldest entries go first). */
export class MemoryCache implements CacheService {
  constructor(
    private readonly defaultTtlMs = 60_000,
    private readonly maxEntries = 10_000,
    private readonly store = new Map<string, Entry>(),
    private readonly prefix = '',
    private readonly now: () => number = Date.now,
  ) {}

  async get<T>(key: string): Promise<T | undefined> {
    const k = this.prefix + key;
    const entry = this.store.get(k);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.store.delete(k);
      return undefined;
    }
    return JSON.parse(entry.value) as T;
  }

  async set(key: string, value: unknown, options?: { ttlMs?: number }): Promise<void> {
    const k = this.prefix + key;
    this.store.delete(k);
    this.store.set(k, {
      value: JSON.stringify(value),
      expiresAt: this.now() + (options?.ttlMs ?? this.defaultTtlMs),
    });
    while (this.store.size > this.maxEntries) {
      const oldest = this.store.keys().next().value;
      if (oldest === undefined) break;
      this.store.delete(oldest);
    }
  }

  async delete(key: string): Promise<void> {
    this.store.delete(this.prefix + key);
  }

  withNamespace(namespace: string): CacheService {
    return new MemoryCache(
      this.defaultTtlMs,
      this.maxEntries,
      this.store,
      `${this.prefix}${namespace}:`,
      this.now,
    );
  }

  async close(): Promise<void> {
    if (!this.prefix) this.store.clear();
  }
}
