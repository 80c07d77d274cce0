import { Controller, Get, type Type } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata } from '@grpc/grpc-js';
import type { pluginV1 } from '@portal/proto';
import { CurrentPrincipal, principalFromMetadata } from '../auth/auth.guard.js';
import type { Principal } from '../auth/principal.js';
import { PluginInfo } from './plugin-info.js';

/**
 * GetInfo, which every plugin's gRPC service declares (`rpc GetInfo` in its .proto), and its REST
 * twin `GET /api/<pluginId>/.portal/v1/info`: which instance answered and whom it authenticated.
 */
export function createInfoControllers(pluginId: string, grpcService?: string): Type<unknown>[] {
  @Controller(`api/${pluginId}/.portal/v1`)
  class PluginInfoController {
    constructor(private readonly info: PluginInfo) {}

    @Get('info')
    get(@CurrentPrincipal() principal: Principal | undefined): pluginV1.GetInfoResponse {
      return this.info.get(principal);
    }
  }
  if (!grpcService) return [PluginInfoController];
  const serviceName = grpcService.split('.').pop()!;

  @Controller()
  class PluginInfoGrpcController {
    constructor(private readonly info: PluginInfo) {}

    @GrpcMethod(serviceName, 'GetInfo')
    getInfo(_request: pluginV1.GetInfoRequest, metadata: Metadata): pluginV1.GetInfoResponse {
      return this.info.get(principalFromMetadata(metadata));
    }
  }
  return [PluginInfoController, PluginInfoGrpcController];
}
