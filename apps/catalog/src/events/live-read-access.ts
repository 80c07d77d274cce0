import type { Entity } from '@portal/catalog-model';
import type { Principal } from '@portal/platform';
import type { ReadAccess } from '../permissions/catalog-permissions.js';

/** How often an open stream asks again what its caller may read, unless configured. */
export const DEFAULT_REAUTHORIZE_MS = 10_000;

/** Decides what a principal may read (CatalogPermissions.readAccess). */
export type ReadAccessSource = (principal: Principal | undefined) => Promise<ReadAccess>;

/**
 * The read access of a long-lived stream, decided when it opens and again every `intervalMs`, so a
 * policy change reaches open streams within that interval, not at their next reconnection. When a
 * later decision cannot be had (the permission service is down), the failure listeners are told at
 * once and `allows` throws from then on: the stream ends (fail closed) and the client's
 * reconnection gets the service's error.
 */
export class LiveReadAccess {
  private failure?: Error;
  private readonly timer: NodeJS.Timeout;
  private refreshing = false;
  private readonly failureListeners: Array<(error: Error) => void> = [];

  private constructor(
    private current: ReadAccess,
    private readonly source: ReadAccessSource,
    private readonly principal: Principal | undefined,
    intervalMs: number,
  ) {
    this.timer = setInterval(() => void this.refresh(), intervalMs);
    this.timer.unref();
  }

  static async open(
    source: ReadAccessSource,
    principal: Principal | undefined,
    intervalMs = DEFAULT_REAUTHORIZE_MS,
  ): Promise<LiveReadAccess> {
    return new LiveReadAccess(await source(principal), source, principal, intervalMs);
  }

  /** Whether the caller may see this entity (null: a deletion whose entity is gone). */
  allows(entity: Entity | null): boolean {
    if (this.failure) throw this.failure;
    return this.current.allows(entity);
  }

  /** The error that ended this access, if one did. */
  get failed(): Error | undefined {
    return this.failure;
  }

  /** Called once, when a later decision cannot be had: the stream should end now. */
  onFailure(listener: (error: Error) => void): void {
    if (this.failure) listener(this.failure);
    else this.failureListeners.push(listener);
  }

  /** Asks again now (the timer does this every interval). */
  async refresh(): Promise<void> {
    if (this.refreshing || this.failure) return;
    this.refreshing = true;
    try {
      // A copy: decisions are memoised per principal object (one request), and this is a new one.
      this.current = await this.source(this.principal && { ...this.principal });
    } catch (error) {
      this.failure = error instanceof Error ? error : new Error(String(error));
      this.close();
      for (const listener of this.failureListeners.splice(0)) listener(this.failure);
    } finally {
      this.refreshing = false;
    }
  }

  close(): void {
    clearInterval(this.timer);
  }
}

/** Opens the live read access of a stream (one per service; the interval comes from config). */
export class StreamAccess {
  constructor(
    private readonly source: ReadAccessSource,
    private readonly intervalMs = DEFAULT_REAUTHORIZE_MS,
  ) {}

  open(principal: Principal | undefined): Promise<LiveReadAccess> {
    return LiveReadAccess.open(this.source, principal, this.intervalMs);
  }
}
