import { EntityRefLink } from '@portal/ui';
import type { CatalogEntity } from '../api/catalog-api.js';

/** A link to an entity given the entity itself. */
export function EntityRefLinkOf({ entity }: { entity: CatalogEntity }) {
  return (
    <EntityRefLink
      entityRef={{
        kind: entity.kind,
        namespace: entity.metadata.namespace ?? 'default',
        name: entity.metadata.name,
      }}
    />
  );
}
