/**
 * A small LRU of results that are valid for one version of the data they were computed from.
 *
 * A hit needs the same key and the same version; a newer version makes every older entry useless
 * (they age out of the LRU). Concurrent computations of the same key and version share one promise,
 * so a burst of identical requests runs the query once.
 */
export class VersionedCache<T> {
  private readonly entries = new Map<string, { version: string; value: T }>();
  private readonly inFlight = new Map<string, Promise<T>>();

  constructor(private readonly maxEntries: number) {}

  get(key: string, version: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry || entry.version !== version) return undefined;
    // Refresh its place in the LRU order.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, version: string, value: T): void {
    if (this.maxEntries <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, { version, value });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  /**
   * The cached value for (key, version), or the result of `compute`, which reports the version its
   * result belongs to (read in the same snapshot as the result itself).
   */
  async getOrCompute(
    key: string,
    version: string,
    compute: () => Promise<{ version: string; value: T }>,
  ): Promise<T> {
    const hit = this.get(key, version);
    if (hit !== undefined) return hit;
    const flightKey = `${version}\u0000${key}`;
    const running = this.inFlight.get(flightKey);
    if (running) return running;
    const promise = compute()
      .then(({ version: computedAt, value }) => {
        this.set(key, computedAt, value);
        return value;
      })
      .finally(() => this.inFlight.delete(flightKey));
    this.inFlight.set(flightKey, promise);
    return promise;
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
