import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata } from '@grpc/grpc-js';
import { InputError, principalFromMetadata } from '@portal/platform';
import type { permissionV1Nest } from '@portal/proto';
import { PermissionRuntime } from '../permission-runtime.js';
import { parseAuthorizeRequest } from './authorize-request.js';
import { subjectOf } from './subject.js';

/**
 * portal.permission.v1.PermissionService/Authorize: the same decisions as POST /authorize, for the
 * service token's obo user (or, without obo, for the calling plugin's `plugin:<id>` subject only).
 */
@Controller()
export class AuthorizeGrpcController {
  constructor(@Inject(PermissionRuntime) private readonly runtime: PermissionRuntime) {}

  @GrpcMethod('PermissionService', 'Authorize')
  async authorize(
    request: permissionV1Nest.AuthorizeRequest,
    metadata: Metadata,
  ): Promise<permissionV1Nest.AuthorizeResponse> {
    const items = request.items.map((item, i) => {
      let permission: unknown;
      try {
        permission = JSON.parse(item.permissionJson);
      } catch {
        throw new InputError(`items[${i}].permission_json is not JSON`);
      }
      return { id: item.id, permission, ...(item.resourceRef ? { resourceRef: item.resourceRef } : {}) };
    });
    const queries = parseAuthorizeRequest({ items });
    const decisions = await this.runtime.authorize.authorize(
      queries,
      subjectOf(principalFromMetadata(metadata)),
    );
    return {
      items: decisions.map((d) => ({
        id: d.id,
        result: Array.isArray(d.result) ? (d.result[0] ?? 'DENY') : d.result,
        pluginId: d.result === 'CONDITIONAL' ? d.pluginId : '',
        resourceType: d.result === 'CONDITIONAL' ? d.resourceType : '',
        conditionsJson: d.result === 'CONDITIONAL' ? JSON.stringify(d.conditions) : '',
      })),
    };
  }
}
