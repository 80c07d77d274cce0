import * as R from '../../relation-types.js';
import type { KindDefinition } from '../kind-definition.js';
import { BACKSTAGE_API_VERSIONS, objectSchema, text } from './schema-parts.js';

/** A business area grouping systems; domains may nest. */
export const domainKind: KindDefinition = {
  apiVersion: BACKSTAGE_API_VERSIONS,
  kind: 'Domain',
  description: 'A business area that groups systems.',
  specSchema: objectSchema(['owner'], { owner: text, subdomainOf: text, type: text }),
  relations: [
    { field: 'spec.owner', type: R.RELATION_OWNED_BY, inverse: R.RELATION_OWNER_OF, defaultKind: 'Group' },
    {
      field: 'spec.subdomainOf',
      type: R.RELATION_PART_OF,
      inverse: R.RELATION_HAS_PART,
      defaultKind: 'Domain',
    },
  ],
};
