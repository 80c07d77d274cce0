// The catalog's ingestion and processing engine, as the service constructs it.
import type { DataSource } from 'typeorm';
import { toCanonicalRef, type KindRegistry } from '@portal/catalog-model';
import {
  backoffDelay,
  InputError,
  type Config,
  type FileReader,
  type Liveness,
  type Logger,
  type UrlReader,
} from '@portal/platform';
import { ConfigLocationProvider } from '../ingestion/config-location-provider.js';
import { DatabaseLocationProvider } from '../ingestion/database-location-provider.js';
import type { EntityProvider } from '../ingestion/entity-provider.js';
import { FileDiscoveryProvider } from '../ingestion/file-discovery-provider.js';
import { listProviderSourceKeys } from '../ingestion/operations/list-provider-source-keys.js';
import { ProviderConnection } from '../ingestion/provider-connection.js';
import { PushProviderRegistry } from '../ingestion/push-provider-registry.js';
import { CatalogMaintenance } from './catalog-maintenance.js';
import { CatalogRules } from './catalog-rules.js';
import { readEngineSettings, type EngineSettings } from './engine-settings.js';
import { EngineStats } from './engine-stats.js';
import { EntityProcessor } from './entity-processor.js';
import { LocationProcessor } from './location-processor.js';
import { deleteOrphanedEntities } from './operations/delete-orphaned-entities.js';
import { scheduleRefresh } from './operations/schedule-refresh.js';
import { ProcessingLoop } from './processing-loop.js';
import { StitchingLoop } from './stitching-loop.js';
import type { CatalogProcessor } from './types.js';
import { BackgroundLoop } from './util/background-loop.js';
import { describeDatabaseError, inTransaction, withConnection } from './util/sql.js';

/** How recently a bulk write must have happened for the stitcher to settle longer. */
const BULK_WINDOW_MS = 3000;

export interface CatalogEngineOptions {
  dataSource: DataSource;
  config: Config;
  logger: Logger;
  liveness: Liveness;
  kinds: KindRegistry;
  urlReader: UrlReader;
  /** Reads file locations; build it with `catalogFileReader(config)` (`catalog.fileRoots`). */
  fileReader: FileReader;
  /** Where relative file paths in the config resolve (the repository root); default the cwd. */
  rootDir?: string;
  /** Entity providers of catalog modules, besides the built-in ones. */
  providers?: EntityProvider[];
  /** Processors of catalog modules, run after the built-in steps. */
  processors?: CatalogProcessor[];
  /** Overrides of what the config says (tests, tools). */
  settings?: Partial<EngineSettings>;
}

/**
 * The ingestion and processing engine: entity providers feed refresh_state, the processing loop
 * turns unprocessed entities into processed ones with relations and children, the stitching loop
 * turns those into the served final entities and their change events. Every replica runs the same
 * engine; all coordination goes through row claims in PostgreSQL (see README.md).
 *
 * Built-in providers: `catalog.locations` (ConfigLocationProvider), the `locations` table
 * (`locations`, for the REST API), `catalog.providers.fileDiscovery`, and the push providers of
 * `catalog.providers.push` (`push`). With `catalog.processing.enabled: false` the replica only
 * serves: providers still write (API registrations, pushes), no loop runs.
 */
export class CatalogEngine {
  readonly settings: EngineSettings;
  readonly stats = new EngineStats();
  /** Locations registered through the API. */
  readonly locations: DatabaseLocationProvider;
  /** Providers fed by authenticated callers. */
  readonly push: PushProviderRegistry;
  readonly processing: ProcessingLoop;
  readonly stitching: StitchingLoop;
  /** The processing pipeline (validation, Location reading, rules, module processors), for dry runs. */
  readonly processor: EntityProcessor;

  private readonly providers: EntityProvider[] = [];
  private readonly processingLoop: BackgroundLoop;
  private readonly stitchingLoop: BackgroundLoop;
  private readonly maintenanceLoop: BackgroundLoop;
  private orphanTimer?: NodeJS.Timeout;
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private started = false;

  constructor(private readonly options: CatalogEngineOptions) {
    const { config, logger, dataSource } = options;
    this.settings = { ...readEngineSettings(config), ...options.settings };
    const rootDir = options.rootDir ?? process.cwd();
    const rules = CatalogRules.fromConfig(config, rootDir);
    const processor = (this.processor = new EntityProcessor({
      kinds: options.kinds,
      processors: options.processors,
      locations: new LocationProcessor({
        urlReader: options.urlReader,
        fileReader: options.fileReader,
        rules,
        logger,
      }),
    }));

    this.locations = new DatabaseLocationProvider({
      dataSource,
      urlReader: options.urlReader,
      fileReader: options.fileReader,
    });
    this.push = PushProviderRegistry.fromConfig(config);
    this.providers.push(
      new ConfigLocationProvider(config, rootDir),
      this.locations,
      ...this.push.providers(),
    );
    if (this.settings.processingEnabled) {
      this.providers.push(...FileDiscoveryProvider.fromConfig(config, { logger, rootDir }));
    }
    this.providers.push(...(options.providers ?? []));

    this.stitching = new StitchingLoop({
      dataSource,
      logger,
      batchSize: this.settings.stitchBatchSize,
      leaseMs: this.settings.stitchLeaseMs,
      // While a bulk change is being written the marks of one entity keep coming (a group gains a
      // member per batch): settle longer then, so it is stitched a few times instead of every second.
      settleMs: () =>
        this.processing.isBulkWriting(BULK_WINDOW_MS)
          ? Math.max(this.settings.stitchSettleMs, this.settings.stitchBulkSettleMs)
          : this.settings.stitchSettleMs,
      stats: this.stats,
    });
    this.stitchingLoop = new BackgroundLoop({
      name: 'catalog-stitching',
      logger,
      liveness: this.settings.processingEnabled ? options.liveness : undefined,
      livenessAllowanceMs: 120_000,
      idleMs: this.settings.stitchPollMs,
      iterate: async () => (await this.stitching.stitchOnce()) > 0,
    });
    this.processing = new ProcessingLoop({
      dataSource,
      processor,
      logger,
      settings: this.settings,
      stats: this.stats,
      onWritten: () => this.stitchingLoop.wake(),
      onProgress: () => this.processingLoop.progress(),
    });
    this.processingLoop = new BackgroundLoop({
      name: 'catalog-processing',
      logger,
      liveness: this.settings.processingEnabled ? options.liveness : undefined,
      livenessAllowanceMs: 300_000,
      idleMs: this.settings.processingPollMs,
      iterate: async () => (await this.processing.processOnce()) > 0,
    });
    const maintenance = new CatalogMaintenance({ dataSource, logger });
    this.maintenanceLoop = new BackgroundLoop({
      name: 'catalog-maintenance',
      logger,
      livenessAllowanceMs: 300_000,
      idleMs: this.settings.maintenanceIntervalMs,
      iterate: async () => {
        await maintenance.runOnce();
        return false;
      },
    });
  }

  /** Adds a provider (a catalog module's); only before start(). */
  addEntityProvider(provider: EntityProvider): void {
    if (this.started) throw new Error('Entity providers must be added before the catalog engine starts');
    this.providers.push(provider);
  }

  /** The names of the installed providers (their source keys). */
  providerNames(): string[] {
    return this.providers.map((p) => p.name);
  }

  /**
   * Connects every provider (one that fails to connect is retried in the background), removes
   * what providers that are no longer installed emitted (`catalog.orphanProviderStrategy`), and
   * starts the loops when processing is enabled.
   */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const names = new Set<string>();
    for (const provider of this.providers) {
      if (names.has(provider.name)) throw new Error(`Two entity providers are named '${provider.name}'`);
      names.add(provider.name);
    }
    for (const provider of this.providers) await this.connectProvider(provider, 0);
    // Every replica takes part (pushes write through API-only ones too); one at a time per task.
    this.maintenanceLoop.start();
    if (!this.settings.processingEnabled) return;
    if (this.settings.orphanProviderStrategy === 'delete') await this.evictUninstalledProviders(names);
    this.processingLoop.start();
    this.stitchingLoop.start();
    if (this.settings.orphanStrategy === 'delete') this.scheduleOrphanCleanup();
  }

  async stop(): Promise<void> {
    this.started = false;
    if (this.orphanTimer) clearTimeout(this.orphanTimer);
    this.orphanTimer = undefined;
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    await Promise.all([this.processingLoop.stop(), this.stitchingLoop.stop(), this.maintenanceLoop.stop()]);
    for (const provider of this.providers) await provider.disconnect?.();
  }

  /**
   * `POST /refresh`: the entity (and the nearest Location it descends from, so its source is read
   * again) is processed as soon as a processing replica gets to it. NotFoundError when unknown,
   * InputError for a ref without a kind or name.
   */
  async refresh(entityRef: string): Promise<void> {
    let ref: string;
    try {
      ref = toCanonicalRef(entityRef);
    } catch (error) {
      throw new InputError(`Invalid entity ref: ${(error as Error).message}`);
    }
    await withConnection(this.options.dataSource, (sql) => scheduleRefresh(sql, ref));
    this.processingLoop.wake();
  }

  /** Looks for due work now instead of at the next poll (after a write outside the engine). */
  wake(): void {
    this.processingLoop.wake();
    this.stitchingLoop.wake();
  }

  /**
   * Processes and stitches in this process until nothing is due (for tests and tools; the loops do
   * the same continuously). Returns how many processing and stitching claims it went through.
   */
  async processPending(maxRounds = 10_000): Promise<{ processed: number; stitched: number }> {
    let processed = 0;
    let stitched = 0;
    for (let round = 0; round < maxRounds; round++) {
      const p = await this.processing.processOnce();
      const s = await this.stitching.stitchOnce({ settleMs: 0 });
      processed += p;
      stitched += s;
      if (!p && !s) break;
    }
    return { processed, stitched };
  }

  /**
   * Connects a provider; one that fails (the database is down, say) is logged and tried again with
   * backoff in the background, so that start() never hangs and no provider is left out for good.
   */
  private async connectProvider(provider: EntityProvider, attempt: number): Promise<void> {
    if (!this.started) return;
    try {
      await provider.connect(this.connectionFor(provider.name));
      if (attempt > 0) this.options.logger.info({ provider: provider.name }, 'entity provider connected');
    } catch (error) {
      const retryInMs = backoffDelay(attempt, 1000, 60_000);
      this.options.logger.error(
        { provider: provider.name, err: describeDatabaseError(error), retryInMs },
        'entity provider failed to connect',
      );
      const timer = setTimeout(() => {
        this.retryTimers.delete(timer);
        void this.connectProvider(provider, attempt + 1);
      }, retryInMs).unref();
      this.retryTimers.add(timer);
    }
  }

  private connectionFor(sourceKey: string): ProviderConnection {
    return new ProviderConnection({
      dataSource: this.options.dataSource,
      sourceKey,
      logger: this.options.logger,
      stats: this.stats,
      onChange: () => this.processingLoop.wake(),
    });
  }

  private async evictUninstalledProviders(installed: Set<string>): Promise<void> {
    try {
      const stored = await withConnection(this.options.dataSource, listProviderSourceKeys);
      for (const name of stored.filter((key) => !installed.has(key))) {
        const summary = await this.connectionFor(name).applyMutation({ type: 'full', entities: [] });
        this.options.logger.info(
          { provider: name, deleted: summary.deleted },
          'removed the entities of an entity provider that is no longer installed',
        );
      }
    } catch (error) {
      this.options.logger.warn(
        { err: describeDatabaseError(error) },
        'could not remove entities of uninstalled providers',
      );
    }
  }

  private scheduleOrphanCleanup(): void {
    const run = async () => {
      try {
        const deleted = await inTransaction(this.options.dataSource, (sql) => deleteOrphanedEntities(sql));
        if (deleted.length) {
          this.options.logger.info({ deleted: deleted.length }, 'deleted orphaned entities');
          this.stitchingLoop.wake();
        }
      } catch (error) {
        this.options.logger.warn({ err: describeDatabaseError(error) }, 'orphan cleanup failed');
      }
      if (this.started) this.orphanTimer = setTimeout(run, this.settings.orphanCleanupIntervalMs).unref();
    };
    this.orphanTimer = setTimeout(run, 0).unref();
  }
}
