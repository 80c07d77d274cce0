import * as R from '../../relation-types.js';
import type { KindDefinition } from '../kind-definition.js';
import { BACKSTAGE_API_VERSIONS, objectSchema, text, textList } from './schema-parts.js';

/** Infrastructure a system needs: a database, a bucket, a topic… */
export const resourceKind: KindDefinition = {
  apiVersion: BACKSTAGE_API_VERSIONS,
  kind: 'Resource',
  description: 'Infrastructure a system needs to operate.',
  specSchema: objectSchema(['type', 'owner'], {
    type: text,
    owner: text,
    system: text,
    dependsOn: textList,
    dependencyOf: textList,
  }),
  relations: [
    { field: 'spec.owner', type: R.RELATION_OWNED_BY, inverse: R.RELATION_OWNER_OF, defaultKind: 'Group' },
    { field: 'spec.dependsOn', type: R.RELATION_DEPENDS_ON, inverse: R.RELATION_DEPENDENCY_OF },
    { field: 'spec.dependencyOf', type: R.RELATION_DEPENDENCY_OF, inverse: R.RELATION_DEPENDS_ON },
    { field: 'spec.system', type: R.RELATION_PART_OF, inverse: R.RELATION_HAS_PART, defaultKind: 'System' },
  ],
};
