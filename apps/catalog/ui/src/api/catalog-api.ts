import type { EntityLike, PortalApi } from '@portal/ui';

/** A catalog entity as the catalog's API serves it. */
export interface CatalogEntity extends EntityLike {
  metadata: EntityLike['metadata'] & {
    uid?: string;
    description?: string;
    tags?: string[];
    links?: Array<{ url: string; title?: string; icon?: string }>;
  };
  relations?: Array<{ type: string; targetRef: string }>;
  status?: {
    items?: Array<{
      type: string;
      level: string;
      message: string;
      error?: { name: string; message: string };
    }>;
  };
}

export interface EntityPage {
  items: CatalogEntity[];
  totalItems: number;
  pageInfo: { nextCursor?: string; prevCursor?: string };
}

export interface FacetValue {
  value: string;
  count: number;
}

export interface EntityQuery {
  /** `key=value` pairs, ANDed (Backstage's `filter=`). */
  filter: Record<string, string | undefined>;
  text?: string;
  orderField?: { field: string; order: 'asc' | 'desc' };
  cursor?: string;
  limit: number;
}

function filterParam(filter: Record<string, string | undefined>): string {
  return Object.entries(filter)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

const TEXT_FIELDS = 'metadata.name,metadata.title,metadata.description';

/** `GET /api/catalog/entities/by-query`: a page of entities and the total; a cursor wins over the rest. */
export function queryEntities(api: PortalApi, query: EntityQuery): Promise<EntityPage> {
  const params = new URLSearchParams({ limit: String(query.limit) });
  if (query.cursor) {
    params.set('cursor', query.cursor);
  } else {
    const filter = filterParam(query.filter);
    if (filter) params.set('filter', filter);
    if (query.text?.trim()) {
      params.set('fullTextFilterTerm', query.text.trim());
      params.set('fullTextFilterFields', TEXT_FIELDS);
    }
    if (query.orderField) params.set('orderField', `${query.orderField.field},${query.orderField.order}`);
  }
  return api.getJson<EntityPage>(`/api/catalog/entities/by-query?${params}`);
}

/** `GET /api/catalog/entity-facets`: the values of each facet among the entities matching `filter`. */
export async function entityFacets(
  api: PortalApi,
  facets: string[],
  filter: Record<string, string | undefined> = {},
): Promise<Record<string, FacetValue[]>> {
  const params = new URLSearchParams();
  for (const facet of facets) params.append('facet', facet);
  const f = filterParam(filter);
  if (f) params.set('filter', f);
  return (await api.getJson<{ facets: Record<string, FacetValue[]> }>(`/api/catalog/entity-facets?${params}`))
    .facets;
}

function byNamePath(kind: string, namespace: string, name: string): string {
  return [kind, namespace, name].map(encodeURIComponent).join('/');
}

export function getEntityByName(
  api: PortalApi,
  kind: string,
  namespace: string,
  name: string,
): Promise<CatalogEntity> {
  return api.getJson<CatalogEntity>(`/api/catalog/entities/by-name/${byNamePath(kind, namespace, name)}`);
}

export interface HistoryItem {
  id: string;
  type: string;
  createdAt: string;
  source: string | null;
  entity: CatalogEntity | null;
}

export function getEntityHistory(
  api: PortalApi,
  kind: string,
  namespace: string,
  name: string,
): Promise<{ items: HistoryItem[]; pageInfo: { nextBefore?: string } }> {
  return api.getJson(`/api/catalog/entities/by-name/${byNamePath(kind, namespace, name)}/history?limit=50`);
}

export interface LocationResult {
  location: { id: string; type: string; target: string };
  entities: CatalogEntity[];
  exists?: boolean;
}

/** `POST /api/catalog/locations` (with `dryRun` it only previews the entities). */
export function addLocation(
  api: PortalApi,
  type: string,
  target: string,
  dryRun: boolean,
): Promise<LocationResult> {
  return api.postJson<LocationResult>(`/api/catalog/locations${dryRun ? '?dryRun=true' : ''}`, {
    type,
    target,
  });
}

/** `GET /api/catalog/locations/by-entity/…`: the registered location the entity came from. */
export function getLocationByEntity(
  api: PortalApi,
  kind: string,
  namespace: string,
  name: string,
): Promise<LocationResult['location']> {
  return api.getJson(`/api/catalog/locations/by-entity/${byNamePath(kind, namespace, name)}`);
}

/** `DELETE /api/catalog/locations/{id}`: unregisters the location; its entities go with it. */
export async function deleteLocation(api: PortalApi, id: string): Promise<void> {
  await api.fetch(`/api/catalog/locations/${encodeURIComponent(id)}`, { method: 'DELETE' });
}
