import type { JsonSchema } from '@portal/platform';

/** A Backstage duration: `{ minutes: 30 }` or an ISO 8601 string (`PT30M`); units checked when read. */
const duration: JsonSchema = {
  anyOf: [
    { type: 'string' },
    {
      type: 'object',
      properties: Object.fromEntries(
        ['years', 'months', 'weeks', 'days', 'hours', 'minutes', 'seconds', 'milliseconds'].map((unit) => [
          unit,
          { type: 'number', minimum: 0 },
        ]),
      ),
      additionalProperties: false,
    },
  ],
};

const strategy: JsonSchema = { enum: ['keep', 'delete'] };
const kindList: JsonSchema = { type: 'array', items: { type: 'string' } };
const allow: JsonSchema = { anyOf: [kindList, { type: 'string' }] };

/** The `catalog` section (Backstage's keys where Backstage has them); checked at start. */
export const catalogConfigSchema: JsonSchema = {
  type: 'object',
  properties: {
    catalog: {
      type: 'object',
      properties: {
        locations: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              type: { enum: ['url', 'file'] },
              target: { type: 'string', minLength: 1 },
              rules: { type: 'array', items: { type: 'object', properties: { allow } } },
            },
            required: ['type', 'target'],
          },
        },
        rules: {
          type: 'array',
          items: {
            type: 'object',
            properties: { allow, locations: { type: 'array', items: { type: 'object' } } },
            required: ['allow'],
          },
        },
        fileRoots: { type: 'array', items: { type: 'string', minLength: 1 } },
        // Location types POST /locations accepts (Backstage: setAllowedLocationTypes, default url).
        allowedLocationTypes: { type: 'array', items: { enum: ['url', 'file'] } },
        kinds: { type: 'array', items: { type: 'object' } },
        kindsApi: {
          type: 'object',
          properties: {
            // Who may PUT and DELETE runtime kinds (same subjects as providers.push[].allow);
            // absent: any authenticated caller.
            allow: { type: 'array', items: { type: 'string', minLength: 1 } },
            pollingInterval: duration,
          },
          additionalProperties: false,
        },
        processingInterval: { anyOf: [duration, { const: false }] },
        orphanStrategy: strategy,
        events: {
          type: 'object',
          properties: {
            retention: { anyOf: [duration, { const: false }] },
            retentionSweepInterval: duration,
            pollingInterval: duration,
            reauthorizeInterval: duration,
          },
          additionalProperties: false,
        },
        orphanProviderStrategy: strategy,
        stitchingStrategy: {
          type: 'object',
          properties: {
            mode: { type: 'string' },
            stitchTimeout: duration,
            settleTime: duration,
            bulkSettleTime: duration,
            pollingInterval: duration,
          },
          additionalProperties: false,
        },
        processing: {
          type: 'object',
          properties: {
            enabled: { anyOf: [{ type: 'boolean' }, { enum: ['true', 'false'] }] },
            pollingInterval: duration,
            batchSize: { type: 'integer', minimum: 1, maximum: 10000 },
            concurrency: { type: 'integer', minimum: 1, maximum: 1000 },
            stitchBatchSize: { type: 'integer', minimum: 1, maximum: 10000 },
          },
          additionalProperties: false,
        },
        providers: {
          type: 'object',
          properties: {
            fileDiscovery: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  root: { type: 'string', minLength: 1 },
                  glob: { type: 'string', minLength: 1 },
                  schedule: {
                    type: 'object',
                    properties: { frequency: duration, initialDelay: duration },
                  },
                },
                required: ['root'],
              },
            },
            push: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  name: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,62}$' },
                  // Subjects that may push: `ci` / `external:ci` (static tokens), `plugin:<id>`,
                  // `user:<ns>/<name>` or `group:<ns>/<name>` (users only when listed).
                  allow: { type: 'array', items: { type: 'string', minLength: 1 } },
                  maxEntities: { type: 'integer', minimum: 1 },
                },
                required: ['name'],
              },
            },
          },
        },
      },
    },
  },
};
