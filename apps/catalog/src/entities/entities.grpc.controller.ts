import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { catalogV1Nest } from '@portal/proto';
import type { Metadata } from '@grpc/grpc-js';
import { InputError, principalFromMetadata } from '@portal/platform';
import { CatalogPermissions } from '../permissions/catalog-permissions.js';
import { EntityQuery } from './query/entity-query.js';
import { parsePredicate, type FilterPredicate } from './query/filter-predicate.js';
import { parseFields } from './query/fields.js';
import { normalizeFullText } from './query/full-text.js';
import { parseOrderBy } from './query/order.js';

function filterFrom(json: string): FilterPredicate | undefined {
  if (!json) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new InputError('filter_json is not JSON');
  }
  return parsePredicate(parsed, 'filter_json');
}

const toItem = (entity: unknown) => ({
  json: entity ? Buffer.from(JSON.stringify(entity)) : Buffer.alloc(0),
});

/**
 * portal.catalog.v1.CatalogService, read calls: the same EntityQuery the REST API uses, with the
 * read filter of the user the call is made for (the service token's `obo`); a service calling for
 * itself reads everything (see CatalogPermissions).
 */
@Controller()
export class EntitiesGrpcController {
  constructor(
    private readonly query: EntityQuery,
    private readonly permissions: CatalogPermissions,
  ) {}

  private readFilter(metadata: Metadata | undefined) {
    return this.permissions.readFilter(metadata ? principalFromMetadata(metadata) : undefined);
  }

  @GrpcMethod('CatalogService', 'GetEntitiesByRefs')
  async getEntitiesByRefs(
    request: catalogV1Nest.GetEntitiesByRefsRequest,
    metadata?: Metadata,
  ): Promise<catalogV1Nest.GetEntitiesByRefsResponse> {
    const fields = parseFields(request.fields);
    const filter = filterFrom(request.filterJson);
    const { items } = await this.query.byRefs(
      request.entityRefs,
      fields,
      filter,
      await this.readFilter(metadata),
    );
    return { items: items.map(toItem) };
  }

  @GrpcMethod('CatalogService', 'QueryEntities')
  async queryEntities(
    request: catalogV1Nest.QueryEntitiesRequest,
    metadata?: Metadata,
  ): Promise<catalogV1Nest.QueryEntitiesResponse> {
    const fields = parseFields(request.fields);
    const query = request.cursor
      ? { cursor: request.cursor, limit: request.limit || undefined, fields }
      : {
          filter: filterFrom(request.filterJson),
          orderField: parseOrderBy(request.orderFields.length ? request.orderFields : undefined),
          fullText: normalizeFullText(
            request.fullTextTerm ? { term: request.fullTextTerm, fields: request.fullTextFields } : undefined,
          ),
          limit: request.limit || undefined,
          offset: request.offset || undefined,
          fields,
          totalItems: request.skipTotalItems ? ('exclude' as const) : ('include' as const),
        };
    const page = await this.query.byQuery(query, await this.readFilter(metadata));
    return {
      items: page.items.map(toItem),
      totalItems: page.totalItems,
      nextCursor: page.pageInfo.nextCursor ?? '',
      prevCursor: page.pageInfo.prevCursor ?? '',
    };
  }

  @GrpcMethod('CatalogService', 'Facets')
  async facets(
    request: catalogV1Nest.FacetsRequest,
    metadata?: Metadata,
  ): Promise<catalogV1Nest.FacetsResponse> {
    if (!request.facets.length) throw new InputError('facets must name at least one field');
    const filter = filterFrom(request.filterJson);
    const { facets } = await this.query.facets(request.facets, filter, await this.readFilter(metadata));
    return { facets: Object.fromEntries(Object.entries(facets).map(([key, values]) => [key, { values }])) };
  }
}
