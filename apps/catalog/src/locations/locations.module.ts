import { Module } from '@nestjs/common';
import { Config, Database } from '@portal/platform';
import { PermissionsModule } from '../permissions/permissions.module.js';
import { CatalogEngine } from '../processing/catalog-engine.js';
import { LocationDryRun } from './dry-run.js';
import { EntityMutationsController } from './entity-mutations.controller.js';
import { EntityMutations } from './entity-mutations.js';
import { LocationAnalyzer } from './location-analyzer.js';
import { DEFAULT_ALLOWED_LOCATION_TYPES, LocationService } from './location-service.js';
import { LocationsController } from './locations.controller.js';
import { RefreshGrpcController } from './refresh.grpc.controller.js';

/**
 * Locations REST API (register with dry run, list, query, get, update, unregister, by entity),
 * analyze-location, refresh (REST and gRPC), entity deletion by uid and ancestry.
 */
@Module({
  imports: [PermissionsModule],
  controllers: [LocationsController, EntityMutationsController, RefreshGrpcController],
  providers: [
    {
      // The engine's own pipeline (validation, Location reading, catalog rules), run without writing.
      provide: LocationDryRun,
      inject: [CatalogEngine],
      useFactory: (engine: CatalogEngine) => new LocationDryRun(engine.processor),
    },
    {
      provide: LocationService,
      inject: [Database, CatalogEngine, LocationDryRun, Config],
      useFactory: (db: Database, engine: CatalogEngine, dryRun: LocationDryRun, config: Config) =>
        new LocationService({
          dataSource: db.dataSource,
          provider: engine.locations,
          dryRun,
          allowedTypes:
            config.getOptionalStringArray('catalog.allowedLocationTypes') ?? DEFAULT_ALLOWED_LOCATION_TYPES,
        }),
    },
    {
      provide: LocationAnalyzer,
      inject: [Database, CatalogEngine, LocationService, LocationDryRun],
      useFactory: (db: Database, engine: CatalogEngine, locations: LocationService, dryRun: LocationDryRun) =>
        new LocationAnalyzer({ dataSource: db.dataSource, provider: engine.locations, locations, dryRun }),
    },
    {
      provide: EntityMutations,
      inject: [Database, CatalogEngine],
      useFactory: (db: Database, engine: CatalogEngine) =>
        new EntityMutations({ dataSource: db.dataSource, engine }),
    },
  ],
})
export class LocationsModule {}
