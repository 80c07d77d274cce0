import type { JsonSchema } from '@portal/platform';

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
          properties: { store: { enum: ['memory', 'redis'] }, connection: { type: 'string' } },
          additionalProperties: false,
        },
      },
      additionalProperties: false,
    },
  },
};
