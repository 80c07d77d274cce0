import * as R from '../../relation-types.js';
import type { KindDefinition } from '../kind-definition.js';
import { BACKSTAGE_API_VERSIONS, objectSchema, profile, textList } from './schema-parts.js';

/** A person, member of groups. */
export const userKind: KindDefinition = {
  apiVersion: BACKSTAGE_API_VERSIONS,
  kind: 'User',
  description: 'A person.',
  specSchema: objectSchema(['memberOf'], { profile, memberOf: textList }),
  relations: [
    {
      field: 'spec.memberOf',
      type: R.RELATION_MEMBER_OF,
      inverse: R.RELATION_HAS_MEMBER,
      defaultKind: 'Group',
    },
  ],
};
