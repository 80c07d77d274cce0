import { Module } from '@nestjs/common';
import { Database } from '@portal/platform';
import { EntitiesController } from './entities.controller.js';
import { EntitiesGrpcController } from './entities.grpc.controller.js';
import { PermissionsModule } from '../permissions/permissions.module.js';
import { EntityQuery } from './query/entity-query.js';

/** The catalog's read side: Backstage's entity, by-query, by-refs and facet endpoints, and their gRPC twins. */
@Module({
  imports: [PermissionsModule],
  controllers: [EntitiesController, EntitiesGrpcController],
  providers: [
    {
      provide: EntityQuery,
      inject: [Database],
      useFactory: (db: Database) => new EntityQuery(db.dataSource),
    },
  ],
  exports: [EntityQuery],
})
export class EntitiesModule {}
