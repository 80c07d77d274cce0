import * as R from '../../relation-types.js';
import type { KindDefinition } from '../kind-definition.js';
import { BACKSTAGE_API_VERSIONS, objectSchema, profile, text, textList } from './schema-parts.js';

/** A team, business unit or other collection of users; groups form a tree. */
export const groupKind: KindDefinition = {
  apiVersion: BACKSTAGE_API_VERSIONS,
  kind: 'Group',
  description: 'An organisational unit of users.',
  specSchema: objectSchema(['type', 'children'], {
    type: text,
    profile,
    parent: text,
    children: textList,
    members: textList,
  }),
  relations: [
    { field: 'spec.parent', type: R.RELATION_CHILD_OF, inverse: R.RELATION_PARENT_OF, defaultKind: 'Group' },
    {
      field: 'spec.children',
      type: R.RELATION_PARENT_OF,
      inverse: R.RELATION_CHILD_OF,
      defaultKind: 'Group',
    },
    {
      field: 'spec.members',
      type: R.RELATION_HAS_MEMBER,
      inverse: R.RELATION_MEMBER_OF,
      defaultKind: 'User',
    },
  ],
};
