/** A plugin's cache. Values are JSON; keys are namespaced per plugin by the implementation. */
export interface CacheService {
  get<T = unknown>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, options?: { ttlMs?: number }): Promise<void>;
  delete(key: string): Promise<void>;
  /** A view whose keys live under `namespace:` inside this one. */
  withNamespace(namespace: string): CacheService;
  close(): Promise<void>;
}
