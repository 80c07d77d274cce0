import { Inject, Module, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Config, Database, LOGGER, type Logger } from '@portal/platform';
import { CatalogPermissions } from '../permissions/catalog-permissions.js';
import { PermissionsModule } from '../permissions/permissions.module.js';
import { BackgroundLoop } from '../processing/util/background-loop.js';
import { readDuration } from '../processing/util/duration.js';
import { ChangeStream } from './change-stream.js';
import { EntityHistory } from './entity-history.js';
import { EventRetention } from './event-retention.js';
import { EventStreamReader } from './event-stream-reader.js';
import { EventsController } from './events.controller.js';
import { EventsGrpcController } from './events.grpc.controller.js';
import { DEFAULT_REAUTHORIZE_MS, StreamAccess } from './live-read-access.js';
import { StreamHorizon } from './stream-horizon.js';

const DEFAULT_RETENTION_MS = 30 * 86_400_000;
const DEFAULT_SWEEP_MS = 3_600_000;

/** `catalog.events.retention`: a duration (default 30 days), or false to keep every event. */
export function retentionFromConfig(config: Config): number | undefined {
  if (config.getOptional('catalog.events.retention') === false) return undefined;
  return readDuration(config, 'catalog.events.retention') ?? DEFAULT_RETENTION_MS;
}

/**
 * The change stream (gRPC WatchEntities, SSE `/api/catalog/events`) and entity history over
 * `entity_events`, and the retention sweep (see README.md).
 */
@Module({
  imports: [PermissionsModule],
  controllers: [EventsController, EventsGrpcController],
  providers: [
    {
      provide: EventStreamReader,
      inject: [Database],
      useFactory: (db: Database) => new EventStreamReader(db.dataSource, new StreamHorizon(db.dataSource)),
    },
    {
      provide: ChangeStream,
      inject: [EventStreamReader, Database, Config, LOGGER],
      useFactory: (reader: EventStreamReader, db: Database, config: Config, logger: Logger) =>
        new ChangeStream({
          reader,
          logger: logger.child({ component: 'change-stream' }),
          listenUrl: (db.dataSource.options as { url?: string }).url,
          pollIntervalMs: readDuration(config, 'catalog.events.pollingInterval'),
        }),
    },
    {
      provide: StreamAccess,
      inject: [CatalogPermissions, Config],
      useFactory: (permissions: CatalogPermissions, config: Config) =>
        new StreamAccess(
          (principal) => permissions.readAccess(principal),
          readDuration(config, 'catalog.events.reauthorizeInterval') ?? DEFAULT_REAUTHORIZE_MS,
        ),
    },
    {
      provide: EntityHistory,
      inject: [Database],
      useFactory: (db: Database) => new EntityHistory(db.dataSource),
    },
    {
      provide: EventRetention,
      inject: [Database],
      useFactory: (db: Database) => new EventRetention(db.dataSource),
    },
  ],
  exports: [ChangeStream, EventStreamReader, EntityHistory],
})
export class EventsModule implements OnApplicationBootstrap, OnModuleDestroy {
  private stopping = false;
  private retentionLoop?: BackgroundLoop;

  constructor(
    @Inject(ChangeStream) private readonly stream: ChangeStream,
    @Inject(EventRetention) private readonly retention: EventRetention,
    @Inject(Database) private readonly db: Database,
    @Inject(Config) private readonly config: Config,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    const retentionMs = retentionFromConfig(this.config);
    const sweepMs = readDuration(this.config, 'catalog.events.retentionSweepInterval') ?? DEFAULT_SWEEP_MS;
    void this.db.whenStarted().then(() => {
      if (this.stopping) return;
      this.stream.start();
      if (retentionMs === undefined) return;
      this.retentionLoop = new BackgroundLoop({
        name: 'catalog-event-retention',
        logger: this.logger,
        livenessAllowanceMs: Number.MAX_SAFE_INTEGER,
        idleMs: sweepMs,
        iterate: async () => {
          const deleted = await this.retention.sweep(retentionMs);
          if (deleted) this.logger.info({ deleted, retentionMs }, 'deleted expired entity events');
          return false;
        },
      });
      this.retentionLoop.start();
    });
  }

  /** Before the servers close: open SSE responses and gRPC streams end, so closing does not wait. */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    await Promise.all([this.stream.stop(), this.retentionLoop?.stop()]);
  }
}
