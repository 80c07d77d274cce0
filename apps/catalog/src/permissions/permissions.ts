import { createPermission } from '@portal/platform';

/** The resource type of catalog entities, as Backstage's `RESOURCE_TYPE_CATALOG_ENTITY`. */
export const RESOURCE_TYPE_CATALOG_ENTITY = 'catalog-entity';

// Named, typed and attributed exactly as @backstage/plugin-catalog-common.

export const catalogEntityReadPermission = createPermission({
  name: 'catalog.entity.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

export const catalogEntityCreatePermission = createPermission({
  name: 'catalog.entity.create',
  attributes: { action: 'create' },
});

export const catalogEntityDeletePermission = createPermission({
  name: 'catalog.entity.delete',
  attributes: { action: 'delete' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

export const catalogEntityRefreshPermission = createPermission({
  name: 'catalog.entity.refresh',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

export const catalogEntityValidatePermission = createPermission({
  name: 'catalog.entity.validate',
  attributes: {},
});

export const catalogLocationReadPermission = createPermission({
  name: 'catalog.location.read',
  attributes: { action: 'read' },
});

export const catalogLocationCreatePermission = createPermission({
  name: 'catalog.location.create',
  attributes: { action: 'create' },
});

export const catalogLocationDeletePermission = createPermission({
  name: 'catalog.location.delete',
  attributes: { action: 'delete' },
});

export const catalogLocationAnalyzePermission = createPermission({
  name: 'catalog.location.analyze',
  attributes: {},
});

/** Every permission the catalog defines (published in its permission metadata). */
export const catalogPermissions = [
  catalogEntityReadPermission,
  catalogEntityCreatePermission,
  catalogEntityDeletePermission,
  catalogEntityRefreshPermission,
  catalogEntityValidatePermission,
  catalogLocationReadPermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
  catalogLocationAnalyzePermission,
];
