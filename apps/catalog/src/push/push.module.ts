import { Module } from '@nestjs/common';
import { KindRegistry } from '@portal/catalog-model';
import { Config, LOGGER, type Logger } from '@portal/platform';
import { PermissionsModule } from '../permissions/permissions.module.js';
import { CatalogEngine } from '../processing/catalog-engine.js';
import { PushController } from './push.controller.js';
import { PushGrpcController } from './push.grpc.controller.js';
import { PushService } from './push-service.js';
import { readPushSettings } from './push-settings.js';

/** Push ingestion over REST and gRPC for the providers of `catalog.providers.push` (see README.md). */
@Module({
  imports: [PermissionsModule],
  controllers: [PushController, PushGrpcController],
  providers: [
    {
      provide: PushService,
      inject: [CatalogEngine, KindRegistry, Config, LOGGER],
      useFactory: (engine: CatalogEngine, kinds: KindRegistry, config: Config, logger: Logger) =>
        new PushService({
          providers: engine.push,
          settings: readPushSettings(config),
          kinds,
          logger: logger.child({ component: 'catalog-push' }),
        }),
    },
  ],
})
export class PushModule {}
