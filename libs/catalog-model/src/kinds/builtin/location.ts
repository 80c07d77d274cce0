import type { KindDefinition } from '../kind-definition.js';
import { BACKSTAGE_API_VERSIONS, objectSchema, text, textList } from './schema-parts.js';

/** A pointer to more descriptors: one `target`, several `targets`, or both. */
export const locationKind: KindDefinition = {
  apiVersion: BACKSTAGE_API_VERSIONS,
  kind: 'Location',
  description: 'A reference to other places to read entities from.',
  specSchema: objectSchema([], {
    type: text,
    target: text,
    targets: textList,
    presence: { type: 'string', enum: ['required', 'optional'] },
  }),
  relations: [],
};
