import * as R from '../../relation-types.js';
import type { KindDefinition } from '../kind-definition.js';
import { BACKSTAGE_API_VERSIONS, objectSchema, text } from './schema-parts.js';

/** A collection of components, APIs and resources that together provide a capability. */
export const systemKind: KindDefinition = {
  apiVersion: BACKSTAGE_API_VERSIONS,
  kind: 'System',
  description: 'A collection of components, APIs and resources.',
  specSchema: objectSchema(['owner'], { owner: text, domain: text, type: text }),
  relations: [
    { field: 'spec.owner', type: R.RELATION_OWNED_BY, inverse: R.RELATION_OWNER_OF, defaultKind: 'Group' },
    { field: 'spec.domain', type: R.RELATION_PART_OF, inverse: R.RELATION_HAS_PART, defaultKind: 'Domain' },
  ],
};
