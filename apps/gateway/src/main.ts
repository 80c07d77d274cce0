import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { discoveryV1 } from '@portal/proto';
import { GrpcClients, SigningKey, startService, type PlatformContext } from '@portal/platform';
import {
  AuthModule,
  authConfigSchema,
  createUserKeyResolver,
  EdgeAuth,
  type UserKeyStore,
} from './auth/index.js';
import { createUserKeyStore } from './auth-keys.js';
import { DiscoveryModule } from './discovery/discovery.module.js';
import { DiscoveryRegistry } from './discovery/discovery-registry.js';
import { gatewayConfigSchema } from './gateway-config.js';
import { createPluginProxy } from './proxy/plugin-proxy.js';
import { shellStatic } from './shell/shell-static.js';

// The key this gateway signs user tokens with, and the store that publishes it in the JWKS.
const userSigningKey = await SigningKey.generate();
let userKeys: UserKeyStore | undefined;
const userKeyStore = (context: Pick<PlatformContext, 'config' | 'logger'>) =>
  (userKeys ??= createUserKeyStore(context.config, context.logger));

/**
 * Backstage's `backend.cors.origin`: one origin or a list. Always a list for the cors middleware,
 * so that a request from any other origin gets no Access-Control-Allow-Origin at all.
 */
function corsOrigin(value: unknown): string[] | false {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return false;
}

await startService({
  pluginId: 'gateway',
  role: 'gateway',
  title: 'Gateway',
  version: '0.1.0',
  defaultPorts: { http: 7007, grpc: 7008 },
  configSchema: { allOf: [gatewayConfigSchema, authConfigSchema] },
  grpc: {
    packages: ['portal.discovery.v1'],
    protoFiles: ['portal/discovery/v1/discovery.proto'],
    services: ['portal.discovery.v1.DiscoveryService'],
  },
  userKeys: (context) => createUserKeyResolver(userKeyStore(context), { ownKey: userSigningKey }),
  imports: (context) => [
    DiscoveryModule,
    AuthModule.forRoot({
      keyStore: userKeyStore(context),
      signingKey: userSigningKey,
      // Sign-in reads users and groups from the catalog over gRPC, as the gateway.
      catalogClients: {
        imports: [DiscoveryModule],
        inject: [DiscoveryRegistry],
        useFactory: (registry: DiscoveryRegistry) =>
          new GrpcClients(
            {
              resolveGrpc: (id) =>
                context.config.getOptionalString(`portal.discovery.endpoints.${id}.grpc`) ??
                (registry.pick(id)?.grpcAddress || undefined),
              refresh: () => registry.sync(),
            },
            context.serviceTokens,
            context.logger,
          ),
      },
    }),
  ],
  configureHttp: async (app, { config, logger, instanceId, signingKey }) => {
    // Plugins learn the key of the gateway's service tokens through Watch, like any instance's.
    await app.get(DiscoveryRegistry).announceOwnKey(
      discoveryV1.Instance.fromPartial({
        pluginId: 'gateway',
        instanceId,
        publicKeyJwk: JSON.stringify(signingKey.publicJwk()),
      }),
    );
    const cors = config.getOptionalConfig('backend.cors');
    if (cors) {
      app.enableCors({
        origin: corsOrigin(cors.getOptional('origin')),
        credentials: cors.getOptionalBoolean('credentials') ?? false,
      });
    }
    const edge = app.get(EdgeAuth);
    app.use(
      createPluginProxy({
        registry: app.get(DiscoveryRegistry),
        logger,
        checkCredentials: (header, pluginId) => edge.check(header, pluginId),
        timeoutMs: config.getOptionalNumber('gateway.proxyTimeoutMs') ?? 30_000,
        maxBodyBytes: config.getOptionalNumber('gateway.maxBodyBytes') ?? 10 * 1024 * 1024,
      }),
    );
    const shellDir =
      config.getOptionalString('gateway.shellDir') ??
      fileURLToPath(new URL('../../shell/dist', import.meta.url));
    const shell = shellStatic(join(shellDir));
    if (shell) app.use(shell);
  },
});
