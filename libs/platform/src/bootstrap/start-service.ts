import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { existsSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Global, Module, type DynamicModule, type Provider, type Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, NestFactory, Reflector } from '@nestjs/core';
import { Transport, type MicroserviceOptions } from '@nestjs/microservices';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { createRemoteJWKSet } from 'jose';
import { AuthGuard, TOKEN_VERIFIER } from '../auth/auth.guard.js';
import { PublicKeyStore } from '../auth/public-key-store.js';
import { ServiceTokenIssuer } from '../auth/service-token-issuer.js';
import { SigningKey } from '../auth/signing-key.js';
import { TokenVerifier } from '../auth/token-verifier.js';
import { createCache } from '../cache/create-cache.js';
import { Config } from '../config/config.js';
import { loadConfig } from '../config/load-config.js';
import { portalEnvironment } from '../config/environment.js';
import { platformConfigSchema } from '../config/platform-schema.js';
import { validateConfig, type JsonSchema } from '../config/validate-config.js';
import { Database, type DatabaseOptions } from '../database/database.js';
import { DiscoveryClient } from '../discovery/discovery-client.js';
import { PLATFORM_VERSION, type PluginManifest } from '../discovery/manifest.js';
import { errorResponseBody, ServiceUnavailableError } from '../errors/errors.js';
import { PortalExceptionFilter } from '../errors/exception.filter.js';
import { GrpcClients } from '../grpc/grpc-clients.js';
import { GrpcMetricsInterceptor } from '../grpc/grpc-metrics.interceptor.js';
import { GrpcHealth } from '../health/grpc-health.js';
import { createHealthController } from '../health/health.controller.js';
import { Liveness } from '../health/liveness.js';
import { Readiness } from '../health/readiness.js';
import { createLogger, NestLoggerAdapter, type Logger } from '../logging/logger.js';
import { isProbe, requestMiddleware } from '../logging/request-middleware.js';
import { Metrics, routeLabel } from '../telemetry/metrics.js';
import { freePort } from './free-port.js';
import { CACHE, LOGGER, PLATFORM, type PlatformContext } from './platform-context.js';
import { PluginInfo } from './plugin-info.js';
import { createInfoControllers } from './info.controllers.js';
import express from 'express';

type ModuleList = Array<Type<unknown> | DynamicModule>;
type KeyGetter = ConstructorParameters<typeof TokenVerifier>[0]['userKeys'];

export interface ServiceDefinition {
  /** Also the path segment: /api/<pluginId>. The gateway uses 'gateway'. */
  pluginId: string;
  version: string;
  title?: string;
  /** 'plugin' registers with the gateway; 'gateway' is the registry itself. */
  role?: 'plugin' | 'gateway';
  /** The service's feature modules (or a function of the platform context that returns them). */
  imports: ModuleList | ((context: PlatformContext) => ModuleList);
  /** The service's gRPC API: its packages and .proto files (relative to proto/). */
  grpc?: { packages: string[]; protoFiles: string[]; services: string[] };
  /** The service's own database: migrations run at start. */
  database?: Omit<DatabaseOptions, 'pluginId'>;
  /** JSON schema for the service's own config keys, checked with the platform's at start. */
  configSchema?: JsonSchema;
  /** What the manifest says beyond id, version and platform (UI modules, permissions). */
  manifest?: Partial<Omit<PluginManifest, 'id' | 'version'>>;
  /** Default ports when neither PORT/GRPC_PORT nor config give one (0 = any free port). */
  defaultPorts?: { http: number; grpc: number };
  /** Parse JSON bodies for the service's own routes (the gateway proxies raw streams instead). */
  jsonBodyLimit?: string | false;
  /** How user tokens are checked; by default against the gateway's JWKS. */
  userKeys?: (context: Omit<PlatformContext, 'verifier'>) => KeyGetter;
  /** Express middleware mounted before the service's routes (the gateway's proxy). */
  configureHttp?: (app: NestExpressApplication, context: PlatformContext) => void | Promise<void>;
}

export interface RunningService {
  context: PlatformContext;
  app: NestExpressApplication;
  httpPort: number;
  grpcPort?: number;
  /** Stops taking work, finishes what is in flight, deregisters and closes everything. */
  shutdown(reason?: string): Promise<void>;
}

function protoRoot(): string {
  const fromEnv = process.env.PORTAL_PROTO_DIR;
  if (fromEnv) return fromEnv;
  // libs/platform/dist/bootstrap -> repository root / proto (same layout in the container image).
  return fileURLToPath(new URL('../../../../proto', import.meta.url));
}

function portFrom(envValue: string | undefined, configured: number | undefined, fallback: number): number {
  if (envValue !== undefined && envValue !== '') {
    const n = Number(envValue);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`Invalid port '${envValue}'`);
    return n;
  }
  return configured ?? fallback;
}

/** Builds the platform's pieces from configuration (no servers started yet). */
async function createContext(def: ServiceDefinition, config: Config): Promise<PlatformContext> {
  const pluginId = def.pluginId;
  const environment = portalEnvironment(config);
  const logger = createLogger({
    service: pluginId,
    level: process.env.LOG_LEVEL || config.getOptionalString('portal.logging.level') || 'info',
  });
  const readiness = new Readiness();
  const liveness = new Liveness();
  const instanceId = `${pluginId}-${randomUUID().slice(0, 8)}`;
  const metrics = new Metrics({ service: pluginId });
  const cache = await createCache(config, pluginId, logger);
  const signingKey = await SigningKey.generate();
  const keyStore = new PublicKeyStore();
  const serviceTokens = new ServiceTokenIssuer(pluginId, signingKey);
  const role = def.role ?? 'plugin';

  let discovery: DiscoveryClient | undefined;
  const endpoints = (config.getOptionalConfig('portal.discovery.endpoints')?.get() ?? {}) as Record<
    string,
    { grpc?: string; http?: string }
  >;
  if (role === 'plugin') {
    const secret = config.getOptionalString('portal.discovery.secret');
    if (!secret) {
      throw new Error(
        'Missing required config value at portal.discovery.secret (set PORTAL_DISCOVERY_SECRET)',
      );
    }
    discovery = new DiscoveryClient({
      gatewayAddress: config.getOptionalString('portal.discovery.gatewayAddress') ?? '127.0.0.1:7008',
      secret,
      logger,
      readiness,
      keyStore,
      staticEndpoints: endpoints,
      heartbeatIntervalMs: config.getOptionalNumber('portal.discovery.heartbeatIntervalMs'),
    });
  }
  const grpcClients = new GrpcClients(
    discovery ?? { resolveGrpc: (id: string) => endpoints[id]?.grpc },
    serviceTokens,
    logger,
  );
  const database = def.database
    ? new Database(config, { pluginId, ...def.database }, logger, readiness, metrics)
    : undefined;

  const partial = {
    pluginId,
    instanceId,
    version: def.version,
    environment,
    config,
    logger,
    readiness,
    liveness,
    metrics,
    cache,
    signingKey,
    keyStore,
    serviceTokens,
    grpcClients,
    discovery,
    database,
  };
  const gatewayUrl = config.getOptionalString('portal.discovery.gatewayUrl') ?? 'http://127.0.0.1:7007';
  const userKeys = def.userKeys
    ? def.userKeys(partial)
    : (createRemoteJWKSet(new URL('/api/auth/.well-known/jwks.json', gatewayUrl), {
        cooldownDuration: 30_000,
        cacheMaxAge: 10 * 60_000,
      }) as KeyGetter);
  const verifier = new TokenVerifier({
    pluginId,
    userKeys,
    serviceKeys: keyStore,
    externalAccess: TokenVerifier.externalAccessFromConfig(config),
  });
  return { ...partial, verifier };
}

function platformModule(context: PlatformContext, def: ServiceDefinition): DynamicModule {
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

/** While the service is not ready its own API answers 503 at once (health and metrics still answer). */
function readinessGate(context: PlatformContext) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (context.readiness.isReady() || isProbe(req) || !req.path.startsWith(`/api/${context.pluginId}`)) {
      next();
      return;
    }
    const reasons = context.readiness.reasons().join('; ');
    const { status, body } = errorResponseBody(
      new ServiceUnavailableError(`Plugin '${context.pluginId}' is not ready: ${reasons}`),
      { method: req.method, url: req.originalUrl },
    );
    res.status(status).json(body);
  };
}

function fatal(message: string, err?: unknown): never {
  // The logger may not exist yet: one JSON line on stderr, like every other line.
  // Written synchronously: an asynchronous write to a pipe would be lost by the exit below.
  writeSync(
    2,
    `${JSON.stringify({ level: 'fatal', time: new Date().toISOString(), msg: message, err: err instanceof Error ? err.message : err })}\n`,
  );
  process.exit(1);
}

/**
 * Starts one service process: configuration (validated), logging, metrics, health, auth, cache,
 * database, the NestJS HTTP app and its gRPC server, registration with the gateway, and graceful
 * shutdown on SIGTERM/SIGINT within `portal.shutdownTimeoutMs`.
 */
export async function startService(def: ServiceDefinition): Promise<RunningService> {
  let config: Config;
  try {
    config = loadConfig().config;
    validateConfig(config, [platformConfigSchema, ...(def.configSchema ? [def.configSchema] : [])]);
  } catch (err) {
    fatal(`${def.pluginId}: ${(err as Error).message}`, undefined);
  }

  let context: PlatformContext;
  try {
    context = await createContext(def, config);
  } catch (err) {
    fatal(`${def.pluginId} failed to start: ${(err as Error).message}`);
  }
  const { logger, readiness } = context;
  const role = def.role ?? 'plugin';

  const imports = typeof def.imports === 'function' ? def.imports(context) : def.imports;

  @Module({ imports: [platformModule(context, def), ...imports] })
  class ServiceRootModule {}

  let app: NestExpressApplication;
  try {
    app = await NestFactory.create<NestExpressApplication>(ServiceRootModule, {
      logger: new NestLoggerAdapter(logger),
      bodyParser: false,
      abortOnError: false,
    });
  } catch (err) {
    fatal(`${def.pluginId} failed to start: ${(err as Error).message}`);
  }
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(requestMiddleware(logger, isProbe));
  app.use(context.metrics.httpMiddleware(routeLabel));
  if (role === 'plugin') app.use(readinessGate(context));
  try {
    if (def.configureHttp) await def.configureHttp(app, context);
  } catch (err) {
    fatal(`${def.pluginId} failed to start: ${(err as Error).message}`);
  }
  if (def.jsonBodyLimit !== false) {
    app.use(express.json({ limit: def.jsonBodyLimit ?? '1mb' }));
    app.use(express.urlencoded({ extended: false, limit: def.jsonBodyLimit ?? '1mb' }));
  }

  const host = process.env.HOST || config.getOptionalString('backend.listen.host') || '127.0.0.1';
  const advertiseHost =
    process.env.PORTAL_ADVERTISE_HOST ||
    config.getOptionalString('portal.advertiseHost') ||
    (host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host);
  const defaults = def.defaultPorts ?? { http: 0, grpc: 0 };

  let grpcPort: number | undefined;
  if (def.grpc) {
    const requested = portFrom(
      process.env.GRPC_PORT,
      config.getOptionalNumber('portal.grpc.port'),
      defaults.grpc,
    );
    grpcPort = requested === 0 ? await freePort(host) : requested;
    const health = new GrpcHealth(def.grpc.services, readiness);
    const root = protoRoot();
    if (!existsSync(root)) fatal(`${def.pluginId}: proto directory ${root} not found (set PORTAL_PROTO_DIR)`);
    app.connectMicroservice<MicroserviceOptions>(
      {
        transport: Transport.GRPC,
        options: {
          package: def.grpc.packages,
          protoPath: def.grpc.protoFiles,
          url: `${host}:${grpcPort}`,
          loader: {
            includeDirs: [root],
            longs: Number,
            enums: Number,
            defaults: true,
            oneofs: true,
            keepCase: false,
          },
          onLoadPackageDefinition: (_pkg: unknown, server: unknown) => health.addToServer(server as never),
        },
      },
      { inheritAppConfig: true },
    );
  }

  try {
    await app.startAllMicroservices();
    const httpPort = portFrom(
      process.env.PORT,
      config.getOptionalNumber('backend.listen.port'),
      defaults.http,
    );
    await app.listen(httpPort, host);
  } catch (err) {
    fatal(`${def.pluginId} could not listen: ${(err as Error).message}`);
  }
  const address = app.getHttpServer().address();
  const httpPort = typeof address === 'object' && address ? address.port : 0;
  logger.info(
    {
      http: `${host}:${httpPort}`,
      grpc: grpcPort ? `${host}:${grpcPort}` : undefined,
      instanceId: context.instanceId,
    },
    `${def.pluginId} listening`,
  );

  // Database, then registration: the gateway only routes to an instance that can serve.
  void (async () => {
    await context.database?.start();
    if (context.discovery) {
      const manifest: PluginManifest = {
        id: def.pluginId,
        version: def.version,
        title: def.title,
        platform: `^${PLATFORM_VERSION}`,
        grpc: def.grpc?.services,
        ...def.manifest,
      };
      context.discovery.start({
        pluginId: def.pluginId,
        instanceId: context.instanceId,
        httpAddress: `http://${advertiseHost}:${httpPort}`,
        grpcAddress: grpcPort ? `${advertiseHost}:${grpcPort}` : '',
        version: def.version,
        manifestJson: JSON.stringify(manifest),
        publicKeyJwk: JSON.stringify(await context.signingKey.publicJwk()),
      });
    }
  })().catch((err: unknown) => logger.error({ err }, 'start-up failed'));

  let stopping: Promise<void> | undefined;
  const shutdown = (reason = 'shutdown') => {
    stopping ??= (async () => {
      const deadlineMs = config.getOptionalNumber('portal.shutdownTimeoutMs') ?? 10_000;
      logger.info({ reason, deadlineMs }, 'shutting down');
      const timer = setTimeout(() => {
        logger.error({ deadlineMs }, 'shutdown deadline passed, exiting');
        process.exit(1);
      }, deadlineMs);
      timer.unref();
      readiness.markShuttingDown();
      const step = async (name: string, work: () => Promise<unknown> | unknown) => {
        const started = Date.now();
        try {
          await work();
        } catch (err) {
          logger.warn({ err: (err as Error).message }, `shutdown: ${name} failed`);
        }
        logger.debug({ ms: Date.now() - started }, `shutdown: ${name}`);
      };
      // Leave the registry first so the gateway stops sending new work here.
      await step('deregister', () => context.discovery?.stop());
      // Closes the HTTP server (in-flight requests finish) and the gRPC server; runs module hooks.
      // Keep-alive connections that go idle once their request finished are closed as they do.
      const httpServer = app.getHttpServer() as { closeIdleConnections?: () => void };
      const idleCloser = setInterval(() => httpServer.closeIdleConnections?.(), 100);
      await step('close servers', () => app.close());
      clearInterval(idleCloser);
      await step('close database', () => context.database?.stop());
      await step('close cache', () => context.cache.close());
      await step('close gRPC clients', () => context.grpcClients.close());
      const telemetry = (globalThis as { __portalTelemetry?: { shutdown(): Promise<void> } })
        .__portalTelemetry;
      await step('flush telemetry', () => telemetry?.shutdown());
      clearTimeout(timer);
      logger.info('stopped');
    })();
    return stopping;
  };
  // A bug must leave a trace in the logs, and an uncaught exception leaves the process in an unknown
  // state: log it and shut down (the orchestrator or the dev runner restarts the service).
  process.on('unhandledRejection', (reason: unknown) =>
    logger.error({ err: reason }, 'unhandled promise rejection'),
  );
  process.once('uncaughtException', (err: Error) => {
    logger.fatal({ err }, 'uncaught exception, shutting down');
    void shutdown('uncaughtException').finally(() => process.exit(1));
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => void shutdown(signal).then(() => process.exit(0)));
  }

  return { context, app, httpPort, grpcPort, shutdown };
}

export type { Logger };
