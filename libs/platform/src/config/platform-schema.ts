import type { JsonSchema } from './validate-config.js';

const hostPort = { type: 'string', pattern: '^[^\\s:]+:[0-9]{1,5}$' };

/** The keys every service reads. Services add their own schema for their own section. */
export const platformConfigSchema: JsonSchema = {
  type: 'object',
  properties: {
    app: {
      type: 'object',
      properties: { baseUrl: { type: 'string' }, title: { type: 'string' } },
    },
    backend: {
      type: 'object',
      properties: {
        baseUrl: { type: 'string' },
        listen: {
          type: 'object',
          properties: { host: { type: 'string' }, port: { type: 'integer', minimum: 0, maximum: 65535 } },
          additionalProperties: false,
        },
        database: {
          type: 'object',
          properties: {
            client: { enum: ['pg'] },
            connection: { type: 'string' },
            prefix: { type: 'string', pattern: '^[a-z_][a-z0-9_]*$' },
            pool: {
              type: 'object',
              properties: {
                max: { type: 'integer', minimum: 1, maximum: 1000 },
                idleTimeoutMillis: { type: 'integer', minimum: 0 },
                connectionTimeoutMillis: { type: 'integer', minimum: 0 },
              },
              additionalProperties: false,
            },
          },
        },
        cache: {
          type: 'object',
          properties: {
            store: { enum: ['memory', 'redis'] },
            connection: { type: 'string' },
            defaultTtl: { type: 'integer', minimum: 1 },
          },
        },
        auth: {
          type: 'object',
          properties: {
            externalAccess: {
              type: 'array',
              items: {
                type: 'object',
                required: ['type', 'options'],
                properties: {
                  type: { enum: ['static'] },
                  options: {
                    type: 'object',
                    required: ['token', 'subject'],
                    properties: {
                      token: { type: 'string', minLength: 8, pattern: '^\\S+$' },
                      subject: { type: 'string', pattern: '^[a-zA-Z0-9:_./-]+$' },
                    },
                  },
                  accessRestrictions: { type: 'array' },
                },
              },
            },
          },
        },
        cors: { type: 'object' },
        reading: {
          type: 'object',
          properties: {
            allow: {
              type: 'array',
              items: {
                type: 'object',
                required: ['host'],
                properties: { host: { type: 'string' }, paths: { type: 'array', items: { type: 'string' } } },
              },
            },
            allowPrivateNetworks: { type: 'array', items: { type: 'string' } },
          },
        },
      },
    },
    portal: {
      type: 'object',
      properties: {
        environment: { enum: ['development', 'production', 'test'] },
        logging: {
          type: 'object',
          properties: { level: { enum: ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] } },
          additionalProperties: false,
        },
        grpc: {
          type: 'object',
          properties: { host: { type: 'string' }, port: { type: 'integer', minimum: 0, maximum: 65535 } },
          additionalProperties: false,
        },
        advertiseHost: { type: 'string' },
        shutdownTimeoutMs: { type: 'integer', minimum: 100 },
        discovery: {
          type: 'object',
          properties: {
            gatewayAddress: hostPort,
            gatewayUrl: { type: 'string' },
            secret: { type: 'string', minLength: 16 },
            heartbeatIntervalMs: { type: 'integer', minimum: 100 },
            ttlMs: { type: 'integer', minimum: 300 },
            endpoints: {
              type: 'object',
              additionalProperties: {
                type: 'object',
                properties: { grpc: hostPort, http: { type: 'string' } },
                additionalProperties: false,
              },
            },
          },
          additionalProperties: false,
        },
      },
    },
  },
};
