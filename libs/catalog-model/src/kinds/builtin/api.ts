import * as R from '../../relation-types.js';
import type { KindDefinition } from '../kind-definition.js';
import { BACKSTAGE_API_VERSIONS, objectSchema, text } from './schema-parts.js';

/** An interface a component provides or consumes, with its definition (OpenAPI, gRPC, …). */
export const apiKind: KindDefinition = {
  apiVersion: BACKSTAGE_API_VERSIONS,
  kind: 'API',
  description: 'An interface that components provide or consume.',
  specSchema: objectSchema(['type', 'lifecycle', 'owner', 'definition'], {
    type: text,
    lifecycle: text,
    owner: text,
    system: text,
    definition: text,
  }),
  relations: [
    { field: 'spec.owner', type: R.RELATION_OWNED_BY, inverse: R.RELATION_OWNER_OF, defaultKind: 'Group' },
    { field: 'spec.system', type: R.RELATION_PART_OF, inverse: R.RELATION_HAS_PART, defaultKind: 'System' },
  ],
};
