import { Controller, Inject } from '@nestjs/common';
import type { Metadata } from '@grpc/grpc-js';
import { Observable } from 'rxjs';
import { discoveryV1, discoveryV1Nest } from '@portal/proto';
import { Unauthenticated } from '@portal/platform';
import { DiscoveryRegistry, type RegistryEvent } from './discovery-registry.js';
import { checkRegistrationSecret } from './registration-secret.js';
import { REGISTRATION_SECRET } from './tokens.js';

/** portal.discovery.v1.DiscoveryService: translates calls to the registry. */
@Controller()
@Unauthenticated()
@discoveryV1Nest.DiscoveryServiceControllerMethods()
export class DiscoveryGrpcController implements discoveryV1Nest.DiscoveryServiceController {
  constructor(
    private readonly registry: DiscoveryRegistry,
    @Inject(REGISTRATION_SECRET) private readonly secret: string,
  ) {}

  async register(
    request: discoveryV1Nest.RegisterRequest,
    metadata?: Metadata,
  ): Promise<discoveryV1Nest.RegisterResponse> {
    checkRegistrationSecret(metadata, this.secret);
    await this.registry.register(discoveryV1.Instance.fromPartial(request.instance ?? {}));
    return {
      heartbeatIntervalMs: this.registry.options.heartbeatIntervalMs,
      ttlMs: this.registry.options.ttlMs,
    };
  }

  async heartbeat(
    request: discoveryV1Nest.HeartbeatRequest,
    metadata?: Metadata,
  ): Promise<discoveryV1Nest.HeartbeatResponse> {
    checkRegistrationSecret(metadata, this.secret);
    await this.registry.heartbeat(request.pluginId, request.instanceId);
    return {};
  }

  async deregister(
    request: discoveryV1Nest.DeregisterRequest,
    metadata?: Metadata,
  ): Promise<discoveryV1Nest.DeregisterResponse> {
    checkRegistrationSecret(metadata, this.secret);
    await this.registry.deregister(request.pluginId, request.instanceId);
    return {};
  }

  list(request: discoveryV1Nest.ListRequest, metadata?: Metadata): discoveryV1Nest.ListResponse {
    checkRegistrationSecret(metadata, this.secret);
    return { instances: this.registry.list(request.pluginId || undefined) };
  }

  watch(request: discoveryV1Nest.WatchRequest, metadata?: Metadata): Observable<discoveryV1Nest.WatchEvent> {
    checkRegistrationSecret(metadata, this.secret);
    const wanted = (e: RegistryEvent) => !request.pluginId || e.instance.pluginId === request.pluginId;
    return new Observable<discoveryV1Nest.WatchEvent>((subscriber) => {
      for (const instance of this.registry.watchSnapshot(request.pluginId || undefined)) {
        subscriber.next({ type: discoveryV1.WatchEvent_Type.TYPE_ADDED, instance });
      }
      const listener = (e: RegistryEvent) => {
        if (wanted(e)) subscriber.next(e);
      };
      this.registry.on('change', listener);
      return () => this.registry.off('change', listener);
    });
  }
}
