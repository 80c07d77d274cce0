import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { catalogV1Nest } from '@portal/proto';
import type { Metadata } from '@grpc/grpc-js';
import { InputError, principalFromMetadata } from '@portal/platform';
import { CatalogPermissions } from '../permissions/catalog-permissions.js';
import { catalogEntityCreatePermission } from '../permissions/permissions.js';
import { PushService, type PushMutation } from './push-service.js';

/** Reads `MutationEntity.json` (an entity as JSON bytes); an InputError names the bad item. */
function decodeEntity(json: Uint8Array, index: number): unknown {
  if (!json.length) throw new InputError(`entities[${index}].json is empty`);
  try {
    return JSON.parse(Buffer.from(json).toString('utf8'));
  } catch {
    throw new InputError(`entities[${index}].json is not JSON`);
  }
}

/** portal.catalog.v1.CatalogService ApplyMutation: push ingestion, the same PushService as REST. */
@Controller()
export class PushGrpcController {
  constructor(
    private readonly push: PushService,
    private readonly permissions: CatalogPermissions,
  ) {}

  @GrpcMethod('CatalogService', 'ApplyMutation')
  async applyMutation(
    request: catalogV1Nest.ApplyMutationRequest,
    metadata: Metadata,
  ): Promise<catalogV1Nest.ApplyMutationResponse> {
    if (request.type !== 'full' && request.type !== 'delta')
      throw new InputError("type must be 'full' or 'delta'");
    const mutation: PushMutation = {
      type: request.type,
      entities: (request.entities ?? []).map((item, index) => ({
        entity: decodeEntity(item.json, index),
        ...(item.locationKey ? { locationKey: item.locationKey } : {}),
      })),
      removed: (request.removed ?? []).map((item) => ({
        entityRef: item.entityRef,
        ...(item.locationKey ? { locationKey: item.locationKey } : {}),
      })),
    };
    const principal = principalFromMetadata(metadata);
    await this.permissions.authorize(principal, catalogEntityCreatePermission);
    const summary = await this.push.apply(request.provider, mutation, principal);
    return { ...summary };
  }
}
