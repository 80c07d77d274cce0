// JSON schema of the parts every entity shares: the root, metadata, relations and status.
// Field formats (names, keys, tags, URLs) are checked in code by field-format.ts.

const text = { type: 'string', minLength: 1 } as const;
const stringMap = { type: 'object', additionalProperties: { type: 'string' } } as const;

export const entityMetadataSchema = {
  type: 'object',
  required: ['name'],
  properties: {
    uid: text,
    etag: text,
    name: text,
    namespace: text,
    title: text,
    description: { type: 'string' },
    labels: stringMap,
    annotations: stringMap,
    tags: { type: 'array', items: text },
    links: {
      type: 'array',
      items: {
        type: 'object',
        required: ['url'],
        properties: { url: text, title: text, icon: text, type: text },
      },
    },
  },
} as const;

const entityRelationSchema = {
  type: 'object',
  required: ['type', 'targetRef'],
  additionalProperties: false,
  properties: {
    type: { type: 'string', minLength: 1, pattern: '^\\w+$' },
    targetRef: text,
    // Older catalogs also wrote the target as parts.
    target: {
      type: 'object',
      required: ['kind', 'namespace', 'name'],
      additionalProperties: false,
      properties: { kind: text, namespace: text, name: text },
    },
  },
} as const;

const entityStatusSchema = {
  type: 'object',
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['type', 'level', 'message'],
        properties: {
          type: text,
          level: { enum: ['info', 'warning', 'error'] },
          message: { type: 'string' },
          error: {
            type: 'object',
            required: ['name', 'message'],
            properties: {
              name: text,
              message: { type: 'string' },
              code: { type: 'string' },
              stack: { type: 'string' },
            },
          },
        },
      },
    },
  },
} as const;

/** The envelope: only these six keys at the root; `spec` is an object whose schema the kind gives. */
export const entityEnvelopeSchema = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata'],
  additionalProperties: false,
  properties: {
    apiVersion: text,
    kind: text,
    metadata: entityMetadataSchema,
    spec: { type: 'object' },
    relations: { type: 'array', items: entityRelationSchema },
    status: entityStatusSchema,
  },
} as const;
