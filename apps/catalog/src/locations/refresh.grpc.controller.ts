import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { catalogV1Nest } from '@portal/proto';
import type { Metadata } from '@grpc/grpc-js';
import { InputError, principalFromMetadata } from '@portal/platform';
import { CatalogPermissions } from '../permissions/catalog-permissions.js';
import { catalogEntityRefreshPermission } from '../permissions/permissions.js';
import { EntityMutations } from './entity-mutations.js';

/** portal.catalog.v1.CatalogService/Refresh: the same refresh as `POST /refresh`. */
@Controller()
export class RefreshGrpcController {
  constructor(
    private readonly mutations: EntityMutations,
    private readonly permissions: CatalogPermissions,
  ) {}

  @GrpcMethod('CatalogService', 'Refresh')
  async refresh(
    request: catalogV1Nest.RefreshRequest,
    metadata?: Metadata,
  ): Promise<catalogV1Nest.RefreshResponse> {
    if (!request.entityRef?.trim())
      throw new InputError('entity_ref must be an entity ref, e.g. component:default/x');
    const principal = metadata ? principalFromMetadata(metadata) : undefined;
    await this.permissions.authorizeByRef(principal, catalogEntityRefreshPermission, request.entityRef);
    await this.mutations.refresh(request.entityRef);
    return {};
  }
}
