import {
  Global,
  Inject,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { KindRegistry } from '@portal/catalog-model';
import {
  Config,
  configRootDir,
  Database,
  LOGGER,
  Liveness,
  Metrics,
  urlReaderFromConfig,
  type Logger,
} from '@portal/platform';
import { CatalogEngine } from './catalog-engine.js';
import { registerEngineMetrics } from './engine-metrics.js';
import { catalogFileReader } from './engine-settings.js';

/**
 * The ingestion and processing engine of this replica (see README.md): providers connect and, with
 * `catalog.processing.enabled` (the default), the processing and stitching loops run. An API-only
 * replica (`false`) still accepts registrations and pushes; processing replicas pick them up.
 */
@Global()
@Module({
  providers: [
    {
      provide: CatalogEngine,
      inject: [Database, Config, LOGGER, Liveness, KindRegistry, Metrics],
      useFactory: (
        db: Database,
        config: Config,
        logger: Logger,
        liveness: Liveness,
        kinds: KindRegistry,
        metrics: Metrics,
      ) => {
        const rootDir = configRootDir();
        const engine = new CatalogEngine({
          dataSource: db.dataSource,
          config,
          logger: logger.child({ component: 'catalog-engine' }),
          liveness,
          kinds,
          urlReader: urlReaderFromConfig(config),
          fileReader: catalogFileReader(config, rootDir),
          rootDir,
        });
        registerEngineMetrics(metrics, engine.stats);
        return engine;
      },
    },
  ],
  exports: [CatalogEngine],
})
export class ProcessingModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private stopping = false;

  constructor(
    @Inject(CatalogEngine) private readonly engine: CatalogEngine,
    @Inject(Database) private readonly db: Database,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** The engine starts once the database is migrated; the service listens meanwhile (not ready). */
  onApplicationBootstrap(): void {
    // Loops backing off during an outage resume as soon as the database is back.
    this.db.onReachable(() => this.engine.wake());
    void this.db.whenStarted().then(async () => {
      if (this.stopping) return;
      await this.engine.start();
      this.logger.info(
        { processing: this.engine.settings.processingEnabled, providers: this.engine.providerNames() },
        'catalog engine started',
      );
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.engine.stop();
  }
}
