import * as R from '../../relation-types.js';
import type { KindDefinition } from '../kind-definition.js';
import { BACKSTAGE_API_VERSIONS, objectSchema, text, textList } from './schema-parts.js';

/** A piece of software: a service, website, library… */
export const componentKind: KindDefinition = {
  apiVersion: BACKSTAGE_API_VERSIONS,
  kind: 'Component',
  description: 'A software component, usually with a distinct deployable or linkable artifact.',
  specSchema: objectSchema(['type', 'lifecycle', 'owner'], {
    type: text,
    lifecycle: text,
    owner: text,
    system: text,
    subcomponentOf: text,
    providesApis: textList,
    consumesApis: textList,
    dependsOn: textList,
    dependencyOf: textList,
  }),
  relations: [
    { field: 'spec.owner', type: R.RELATION_OWNED_BY, inverse: R.RELATION_OWNER_OF, defaultKind: 'Group' },
    {
      field: 'spec.subcomponentOf',
      type: R.RELATION_PART_OF,
      inverse: R.RELATION_HAS_PART,
      defaultKind: 'Component',
    },
    {
      field: 'spec.providesApis',
      type: R.RELATION_PROVIDES_API,
      inverse: R.RELATION_API_PROVIDED_BY,
      defaultKind: 'API',
    },
    {
      field: 'spec.consumesApis',
      type: R.RELATION_CONSUMES_API,
      inverse: R.RELATION_API_CONSUMED_BY,
      defaultKind: 'API',
    },
    { field: 'spec.dependsOn', type: R.RELATION_DEPENDS_ON, inverse: R.RELATION_DEPENDENCY_OF },
    { field: 'spec.dependencyOf', type: R.RELATION_DEPENDENCY_OF, inverse: R.RELATION_DEPENDS_ON },
    { field: 'spec.system', type: R.RELATION_PART_OF, inverse: R.RELATION_HAS_PART, defaultKind: 'System' },
  ],
};
