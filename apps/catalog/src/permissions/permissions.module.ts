import { Module } from '@nestjs/common';
import { Config, Database, GrpcClients, LOGGER, PermissionsService, type Logger } from '@portal/platform';
import { EntityQuery } from '../entities/query/entity-query.js';
import { CatalogPermissions } from './catalog-permissions.js';
import { PermissionsController } from './permissions.controller.js';

/**
 * The catalog's permission decisions (`CatalogPermissions`, imported by every feature module that
 * enforces them) and the permission metadata / apply-conditions routes.
 */
@Module({
  controllers: [PermissionsController],
  providers: [
    {
      provide: CatalogPermissions,
      inject: [Config, GrpcClients, Database, LOGGER],
      useFactory: (config: Config, grpc: GrpcClients, db: Database, logger: Logger) =>
        new CatalogPermissions(
          PermissionsService.fromConfig(config, grpc, logger.child({ component: 'permissions' })),
          // Only by-refs and by-uid lookups (no caches involved).
          new EntityQuery(db.dataSource, { cacheEntries: 0 }),
        ),
    },
  ],
  exports: [CatalogPermissions],
})
export class PermissionsModule {}
