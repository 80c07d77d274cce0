// Keeps the service's KindRegistry in step with catalog_kinds on every replica (see README.md).
import type { DataSource } from 'typeorm';
import { type KindRegistry } from '@portal/catalog-model';
import { NotificationListener, type Logger } from '@portal/platform';
import { describeDatabaseError, withConnection } from '../processing/util/sql.js';
import { listStoredKinds } from './operations/list-stored-kinds.js';
import { scheduleRefreshOfFailed } from './operations/schedule-refresh-of-failed.js';
import { KINDS_CHANNEL, type StoredKind } from './operations/stored-kind.js';

export interface KindSyncOptions {
  dataSource: DataSource;
  /** The service's one registry; changed in place. */
  registry: KindRegistry;
  /** Lowercase names of the kinds of `catalog.kinds`: config wins over a stored kind of the same name. */
  configured: ReadonlySet<string>;
  logger: Logger;
  /** How often the table is read while notifications arrive (a safety net); default 5 s. */
  pollMs?: number;
  /** How often it is read while the listener is down; default 1 s. */
  fallbackPollMs?: number;
  /** Called after every successful load (readiness). */
  onLoaded?: () => void;
  /** The server to LISTEN on; default the DataSource's `url`. */
  connectionString?: string;
}

/**
 * Loads the runtime kinds at start and then follows every change: one LISTEN connection on
 * `catalog_kinds` (a notification triggers a reload of the small table) and polling as a fallback,
 * faster while the listener is down. A reload applies the difference to the registry in place, so
 * validation and processing, which share that registry, see the change at once.
 */
export class KindSync {
  /** Stored kinds applied to the registry, by lowercase name. */
  private applied = new Map<string, StoredKind>();
  private listener?: NotificationListener;
  private pollTimer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = true;
  private loadedOnce = false;
  private readonly pollMs: number;
  private readonly fallbackPollMs: number;

  constructor(private readonly options: KindSyncOptions) {
    this.pollMs = options.pollMs ?? 5000;
    this.fallbackPollMs = options.fallbackPollMs ?? 1000;
  }

  /** The runtime kinds this replica has applied, by lowercase name. */
  stored(kind: string): StoredKind | undefined {
    return this.applied.get(kind.toLowerCase());
  }

  /** Whether the first load has happened (the registry holds the stored kinds). */
  get loaded(): boolean {
    return this.loadedOnce;
  }

  /** Loads once (a failure is logged; polling retries), then listens and polls. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.reload().catch(() => undefined);
    const connectionString =
      this.options.connectionString ?? (this.options.dataSource.options as { url?: string }).url;
    if (connectionString) {
      this.listener = new NotificationListener({
        connectionString,
        channel: KINDS_CHANNEL,
        name: 'portal-catalog-kinds',
        logger: this.options.logger,
        onNotify: () => void this.reload().catch(() => undefined),
        // Changes made while no one listened.
        onListening: () => void this.reload().catch(() => undefined),
      });
      await this.listener.start();
    }
    this.schedulePoll();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    await this.listener?.stop();
    this.listener = undefined;
    await this.running?.catch(() => undefined);
  }

  /**
   * Reads catalog_kinds and applies it. Concurrent calls coalesce: a call made while a reload runs
   * gets one more reload after it, so no change is missed. Rejects when the database fails.
   */
  reload(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = async () => {
      try {
        do {
          this.again = false;
          const stored = await withConnection(this.options.dataSource, listStoredKinds);
          const changed = this.apply(stored);
          this.loadedOnce = true;
          this.options.onLoaded?.();
          if (changed.length) await this.retryFailed(changed);
        } while (this.again);
      } catch (error) {
        this.options.logger.warn({ err: describeDatabaseError(error) }, 'could not load runtime kinds');
        throw error;
      } finally {
        this.running = undefined;
      }
    };
    this.running = run();
    return this.running;
  }

  /**
   * Brings the registry to `stored`: removes what is gone, registers what is new or changed.
   * Returns the kinds that changed.
   */
  apply(stored: StoredKind[]): string[] {
    const changed: string[] = [];
    const { registry, configured, logger } = this.options;
    const next = new Map(stored.map((kind) => [kind.kind.toLowerCase(), kind]));
    for (const [key, previous] of this.applied) {
      if (next.has(key) || configured.has(key)) continue;
      const current = registry.find(key);
      if (current && !current.builtin) registry.unregister(key);
      changed.push(previous.kind);
      logger.info({ kind: previous.kind }, 'runtime kind removed');
    }
    const applied = new Map<string, StoredKind>();
    for (const [key, kind] of next) {
      const previous = this.applied.get(key);
      if (previous?.revision === kind.revision) {
        applied.set(key, previous);
        continue;
      }
      if (configured.has(key)) {
        logger.warn(
          { kind: kind.kind },
          'a stored runtime kind is shadowed by catalog.kinds; the config wins',
        );
        applied.set(key, kind); // not applied, but known: warn once per change
        continue;
      }
      try {
        const checked = registry.find(key);
        // Renamed in case (deleted and stored again elsewhere): the new spelling replaces the old.
        if (checked && !checked.builtin && checked.definition.kind !== kind.kind) registry.unregister(key);
        registry.register(kind.definition);
        applied.set(key, kind);
        changed.push(kind.kind);
        logger.info(
          { kind: kind.kind, revision: kind.revision },
          previous ? 'runtime kind changed' : 'runtime kind loaded',
        );
      } catch (error) {
        logger.error({ kind: kind.kind, err: (error as Error).message }, 'a stored runtime kind was refused');
        if (previous) applied.set(key, previous);
      }
    }
    this.applied = applied;
    return changed;
  }

  /** Entities of changed kinds whose processing failed are tried again now that this replica knows the change. */
  private async retryFailed(kinds: string[]): Promise<void> {
    try {
      const scheduled = await withConnection(this.options.dataSource, (sql) =>
        scheduleRefreshOfFailed(sql, kinds),
      );
      if (scheduled)
        this.options.logger.info({ kinds, scheduled }, 'failed entities of changed kinds scheduled again');
    } catch (error) {
      this.options.logger.warn(
        { err: describeDatabaseError(error) },
        'could not schedule failed entities again',
      );
    }
  }

  private schedulePoll(): void {
    if (this.stopped) return;
    const delay = this.listener?.listening && this.loadedOnce ? this.pollMs : this.fallbackPollMs;
    this.pollTimer = setTimeout(() => {
      void this.reload()
        .catch(() => undefined)
        .finally(() => this.schedulePoll());
    }, delay);
    this.pollTimer.unref();
  }
}
