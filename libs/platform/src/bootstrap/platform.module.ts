import { Global, Module, type DynamicModule, type Provider, type Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, Reflector } from '@nestjs/core';
import { AuthGuard, TOKEN_VERIFIER } from '../auth/auth.guard.js';
import { PublicKeyStore } from '../auth/public-key-store.js';
import { ServiceTokenIssuer } from '../auth/service-token-issuer.js';
import { SigningKey } from '../auth/signing-key.js';
import { TokenVerifier } from '../auth/token-verifier.js';
import { Config } from '../config/config.js';
import { Database } from '../database/database.js';
import { DiscoveryClient } from '../discovery/discovery-client.js';
import { PortalExceptionFilter } from '../errors/exception.filter.js';
import { GrpcClients } from '../grpc/grpc-clients.js';
import { GrpcMetricsInterceptor } from '../grpc/grpc-metrics.interceptor.js';
import { createHealthController } from '../health/health.controller.js';
import { Liveness } from '../health/liveness.js';
import { Readiness } from '../health/readiness.js';
import { Metrics } from '../telemetry/metrics.js';
import { createInfoControllers } from './info.controllers.js';
import { CACHE, LOGGER, PLATFORM, type PlatformContext } from './platform-context.js';
import { PluginInfo } from './plugin-info.js';
import type { ServiceDefinition } from './service-definition.js';

/**
 * Everything the platform built, as global NestJS providers (by class where there is one), plus
 * the filter, guard and interceptor every route gets, and the health and info controllers.
 */
export function platformModule(context: PlatformContext, def: ServiceDefinition): DynamicModule {
  const providers: Provider[] = [
    { provide: PLATFORM, useValue: context },
    { provide: LOGGER, useValue: context.logger },
    { provide: CACHE, useValue: context.cache },
    { provide: TOKEN_VERIFIER, useValue: context.verifier },
    ...(
      [
        [Readiness, context.readiness],
        [Liveness, context.liveness],
        [Metrics, context.metrics],
        [PublicKeyStore, context.keyStore],
        [ServiceTokenIssuer, context.serviceTokens],
        [TokenVerifier, context.verifier],
        [GrpcClients, context.grpcClients],
        [SigningKey, context.signingKey],
      ] as Array<[Type<unknown>, unknown]>
    ).map(([provide, useValue]) => ({ provide, useValue })),
    { provide: Config, useValue: context.config },
    PluginInfo,
    { provide: APP_FILTER, useFactory: () => new PortalExceptionFilter(context.logger, context.metrics) },
    {
      provide: APP_GUARD,
      useFactory: (reflector: Reflector) => new AuthGuard(context.verifier, reflector),
      inject: [Reflector],
    },
    { provide: APP_INTERCEPTOR, useFactory: () => new GrpcMetricsInterceptor(context.metrics) },
  ];
  if (context.database) providers.push({ provide: Database, useValue: context.database });
  if (context.discovery) providers.push({ provide: DiscoveryClient, useValue: context.discovery });

  @Global()
  @Module({})
  class PlatformModule {}

  return {
    module: PlatformModule,
    providers,
    exports: providers.filter((p) => {
      const token = (p as { provide?: unknown }).provide;
      return token !== APP_FILTER && token !== APP_GUARD && token !== APP_INTERCEPTOR;
    }),
    controllers: [
      createHealthController(def.pluginId),
      ...((def.role ?? 'plugin') === 'plugin'
        ? createInfoControllers(def.pluginId, def.grpc?.services[0])
        : []),
    ],
  };
}
