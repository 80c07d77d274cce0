import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { catalogV1Nest } from '@portal/proto';
import { InputError } from '@portal/platform';
import { EntityMutations } from './entity-mutations.js';

/** portal.catalog.v1.CatalogService/Refresh: the same refresh as `POST /refresh`. */
@Controller()
export class RefreshGrpcController {
  constructor(private readonly mutations: EntityMutations) {}

  @GrpcMethod('CatalogService', 'Refresh')
  async refresh(request: catalogV1Nest.RefreshRequest): Promise<catalogV1Nest.RefreshResponse> {
    if (!request.entityRef?.trim())
      throw new InputError('entity_ref must be an entity ref, e.g. component:default/x');
    await this.mutations.refresh(request.entityRef);
    return {};
  }
}
