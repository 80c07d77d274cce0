import type { DynamicModule, Type } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { TokenVerifier } from '../auth/token-verifier.js';
import type { JsonSchema } from '../config/validate-config.js';
import type { DatabaseOptions } from '../database/database.js';
import type { PluginManifest } from '../discovery/manifest.js';
import type { PlatformContext } from './platform-context.js';
import type { UiDefinition } from './ui-assets.js';

export type ModuleList = Array<Type<unknown> | DynamicModule>;
export type KeyGetter = ConstructorParameters<typeof TokenVerifier>[0]['userKeys'];

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
  /**
   * The plugin's remote UI module: served at `/plugins/<pluginId>/` and put in the manifest's `ui`
   * when its build exists (see ui-assets.ts).
   */
  ui?: UiDefinition;
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
