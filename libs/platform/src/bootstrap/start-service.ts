import 'reflect-metadata';
import { existsSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Transport, type MicroserviceOptions } from '@nestjs/microservices';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import type { Config } from '../config/config.js';
import { loadConfig } from '../config/load-config.js';
import { platformConfigSchema } from '../config/platform-schema.js';
import { validateConfig } from '../config/validate-config.js';
import { PLATFORM_VERSION, type PluginManifest } from '../discovery/manifest.js';
import { GrpcHealth } from '../health/grpc-health.js';
import { readinessGate } from '../health/readiness-gate.js';
import { NestLoggerAdapter } from '../logging/logger.js';
import { isProbe, requestMiddleware } from '../logging/request-middleware.js';
import { routeLabel } from '../telemetry/metrics.js';
import { createContext } from './create-context.js';
import { freePort } from './free-port.js';
import type { PlatformContext } from './platform-context.js';
import { platformModule } from './platform.module.js';
import type { RunningService, ServiceDefinition } from './service-definition.js';
import { uiAssets } from './ui-assets.js';

export type { RunningService, ServiceDefinition } from './service-definition.js';
export type { UiDefinition } from './ui-assets.js';

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
  const ui = def.ui ? uiAssets(def.pluginId, def.ui) : undefined;
  if (ui) app.use(ui.middleware);
  else if (def.ui) logger.info({ dir: def.ui.dir }, 'UI module not built: serving no UI');
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
        ...(ui ? { ui: ui.manifest } : {}),
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
