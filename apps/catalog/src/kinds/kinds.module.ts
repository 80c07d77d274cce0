import {
  Global,
  Inject,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { KindRegistry } from '@portal/catalog-model';
import { Config, Database, LOGGER, Readiness, type Logger } from '@portal/platform';
import { PermissionsModule } from '../permissions/permissions.module.js';
import { SubjectAllowList } from '../push/subject-allow-list.js';
import { configuredKindNames, kindRegistryFromConfig } from './kind-registry.provider.js';
import { KindSync } from './kind-sync.js';
import { KindsController } from './kinds.controller.js';
import { KindsService } from './kinds-service.js';
import { readKindsSettings } from './kinds-settings.js';

/**
 * One KindRegistry for the whole service: validation, processing and the kinds API share it.
 * Runtime kinds (the kinds API) are stored in catalog_kinds and kept in step on every replica by
 * KindSync (see README.md).
 */
@Global()
@Module({
  imports: [PermissionsModule],
  controllers: [KindsController],
  providers: [
    { provide: KindRegistry, inject: [Config], useFactory: kindRegistryFromConfig },
    {
      provide: KindSync,
      inject: [Database, KindRegistry, Config, LOGGER, Readiness],
      useFactory: (
        db: Database,
        registry: KindRegistry,
        config: Config,
        logger: Logger,
        readiness: Readiness,
      ) => {
        readiness.require('runtime-kinds', 'Runtime kinds have not been loaded');
        return new KindSync({
          dataSource: db.dataSource,
          registry,
          configured: configuredKindNames(config),
          logger: logger.child({ component: 'catalog-kinds' }),
          pollMs: readKindsSettings(config).pollMs,
          onLoaded: () => readiness.set('runtime-kinds', true),
        });
      },
    },
    {
      provide: KindsService,
      inject: [Database, KindRegistry, KindSync, Config, LOGGER],
      useFactory: (db: Database, registry: KindRegistry, sync: KindSync, config: Config, logger: Logger) => {
        const settings = readKindsSettings(config);
        return new KindsService({
          dataSource: db.dataSource,
          registry,
          configured: configuredKindNames(config),
          sync,
          logger: logger.child({ component: 'catalog-kinds' }),
          writers: settings.allow ? new SubjectAllowList(settings.allow) : undefined,
        });
      },
    },
  ],
  exports: [KindRegistry, KindSync, KindsService],
})
export class KindsModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private stopping = false;

  constructor(
    @Inject(KindSync) private readonly sync: KindSync,
    @Inject(Database) private readonly db: Database,
  ) {}

  /** Loads the runtime kinds once the database is migrated, then follows changes. */
  onApplicationBootstrap(): void {
    void this.db.whenStarted().then(async () => {
      if (!this.stopping) await this.sync.start();
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.sync.stop();
  }
}
