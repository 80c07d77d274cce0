import type { JsonSchema } from '@portal/platform';

const ref = { type: 'string', pattern: '^[a-zA-Z][a-zA-Z0-9_-]*:([a-zA-Z0-9_.-]+/)?[a-zA-Z0-9_.@-]+$' };

/** The `permission` section; checked at start with the platform's keys. */
export const permissionConfigSchema: JsonSchema = {
  type: 'object',
  properties: {
    permission: {
      type: 'object',
      properties: {
        // Backstage's switch for PermissionClient (read by clients; the service always decides).
        enabled: { type: 'boolean' },
        EXPERIMENTAL_enableBatchedRequests: { type: 'boolean' },
        // YAML (.yaml/.yml) or CSV (.csv) policy file, relative to the repository root (configRootDir); watched.
        policyFile: { type: 'string', minLength: 1 },
        // User or group refs (or plugin:<id>) that may do anything.
        superUsers: { type: 'array', items: ref },
        cache: {
          type: 'object',
          properties: { ttlMs: { type: 'integer', minimum: 0 } },
          additionalProperties: false,
        },
        // Polling fallback for runtime policy changes (LISTEN/NOTIFY is the fast path).
        policyPollMs: { type: 'integer', minimum: 100 },
        policyFileDebounceMs: { type: 'integer', minimum: 0 },
        applyConditionsTimeoutMs: { type: 'integer', minimum: 100 },
        registry: {
          type: 'object',
          properties: {
            discoverEveryMs: { type: 'integer', minimum: 500 },
            refreshEveryMs: { type: 'integer', minimum: 1000 },
          },
          additionalProperties: false,
        },
      },
      additionalProperties: false,
    },
  },
};
