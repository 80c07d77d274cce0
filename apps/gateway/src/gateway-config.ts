import type { Config, JsonSchema } from '@portal/platform';

/** The gateway's own keys (the `auth` section is checked by the auth module's schema). */
export const gatewayConfigSchema: JsonSchema = {
  type: 'object',
  properties: {
    gateway: {
      type: 'object',
      properties: {
        proxyTimeoutMs: { type: 'integer', minimum: 100 },
        maxBodyBytes: { type: 'integer', minimum: 1024 },
        shellDir: { type: 'string' },
        registry: {
          type: 'object',
          properties: {
            store: { enum: ['memory', 'redis'] },
            connection: { type: 'string' },
            prefix: { type: 'string' },
          },
          additionalProperties: false,
        },
      },
      additionalProperties: false,
    },
  },
};

/**
 * Redis for the gateway's shared state (registry, user-token keys): `gateway.registry.connection`,
 * else the cache's connection (REDIS_URL); undefined when neither is set or the store is 'memory'.
 */
export function gatewayRedis(config: Config): { connection: string; prefix: string } | undefined {
  const connection =
    config.getOptionalString('gateway.registry.connection') ??
    config.getOptionalString('backend.cache.connection');
  const store = config.getOptionalString('gateway.registry.store') ?? (connection ? 'redis' : 'memory');
  if (store === 'memory') return undefined;
  if (!connection) throw new Error("gateway.registry.store is 'redis' but no Redis connection is configured");
  // Replicas that should agree share the prefix.
  return { connection, prefix: config.getOptionalString('gateway.registry.prefix') ?? 'portal:gateway:' };
}
