import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentPrincipal, InputError, NotFoundError, type Principal } from '@portal/platform';
import { CatalogPermissions } from '../permissions/catalog-permissions.js';
import { EntityQuery } from './query/entity-query.js';
import { parseFields } from './query/fields.js';
import { parseFilterParams, stringsParam } from './query/filter-params.js';
import { parsePredicate } from './query/filter-predicate.js';
import { normalizeFullText, parseFullTextParams } from './query/full-text.js';
import { parseOrderBy, parseOrderFieldParams, parseOrderParams } from './query/order.js';
import { ListPaging } from './list-paging.js';

type QueryParams = Record<string, unknown>;

function optionalInt(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  const text = Array.isArray(value) ? value[0] : value;
  if (typeof text !== 'string' || !/^\d+$/.test(text))
    throw new InputError(`Invalid ${name}, must be a non-negative integer`);
  return Number(text);
}

function totalItemsParam(value: unknown): 'include' | 'exclude' | undefined {
  if (value === undefined) return undefined;
  if (value === 'include' || value === 'exclude') return value;
  throw new InputError("Invalid totalItems, must be 'include' or 'exclude'");
}

function object(body: unknown, name: string): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new InputError(`${name} must be a JSON object`);
  return body as Record<string, unknown>;
}

/**
 * Backstage's read endpoints of the catalog: the controller translates, EntityQuery reads, and the
 * caller's `catalog.entity.read` (CatalogPermissions) is one extra filter on every read.
 */
@Controller('api/catalog')
export class EntitiesController {
  constructor(
    private readonly query: EntityQuery,
    private readonly permissions: CatalogPermissions,
  ) {}

  /** The whole (filtered) catalog, streamed when unpaged; `limit`/`offset`/`after` page it with a Link header. */
  @Get('entities')
  async list(
    @Query() q: QueryParams,
    @Res() res: Response,
    @CurrentPrincipal() principal: Principal | undefined,
  ): Promise<void> {
    const filter = parseFilterParams(q.filter);
    const fields = parseFields(q.fields);
    const order = parseOrderParams(q.order);
    const paging = ListPaging.fromQuery(q);
    const permission = await this.permissions.readFilter(principal);
    const entities = this.query.listAll(filter, fields, order, permission, paging.window());
    res.status(200).type('application/json');
    if (paging.paged) {
      const items = [];
      for await (const entity of entities) items.push(entity);
      const next = paging.next(items.length);
      if (next) res.setHeader('Link', `<${next.link(res.req.originalUrl)}>; rel="next"`);
      res.send(items.slice(0, paging.pageSize));
      return;
    }
    // Unpaged: one entity at a time, waiting for the socket to drain, so memory stays flat.
    res.write('[');
    let first = true;
    for await (const entity of entities) {
      const ok = res.write(`${first ? '' : ','}${JSON.stringify(entity)}`);
      first = false;
      if (!ok) await new Promise((resolve) => res.once('drain', resolve));
      if (res.destroyed) return;
    }
    res.end(']');
  }

  @Get('entities/by-query')
  async byQueryGet(@Query() q: QueryParams, @CurrentPrincipal() principal: Principal | undefined) {
    const request = {
      cursor: typeof q.cursor === 'string' ? q.cursor : undefined,
      filter: parseFilterParams(q.filter),
      orderField: parseOrderFieldParams(q.orderField),
      fullText: parseFullTextParams(q.fullTextFilterTerm, q.fullTextFilterFields),
      fields: parseFields(q.fields),
      limit: optionalInt(q.limit, 'limit'),
      offset: optionalInt(q.offset, 'offset'),
      totalItems: totalItemsParam(q.totalItems),
    };
    return this.query.byQuery(request, await this.permissions.readFilter(principal));
  }

  @Post('entities/by-query')
  @HttpCode(200)
  async byQueryPost(@Body() raw: unknown, @CurrentPrincipal() principal: Principal | undefined) {
    const body = object(raw ?? {}, 'Request body');
    const limit = body.limit === undefined ? undefined : optionalInt(String(body.limit), 'limit');
    if (typeof body.cursor === 'string') {
      const permission = await this.permissions.readFilter(principal);
      return this.query.byQuery({ cursor: body.cursor, limit, fields: parseFields(body.fields) }, permission);
    }
    const request = {
      filter: body.query === undefined ? undefined : parsePredicate(body.query),
      orderField: parseOrderBy(body.orderBy),
      fullText: normalizeFullText(body.fullTextFilter),
      fields: parseFields(body.fields),
      limit,
      offset: body.offset === undefined ? undefined : optionalInt(String(body.offset), 'offset'),
      totalItems: totalItemsParam(body.totalItems),
    };
    return this.query.byQuery(request, await this.permissions.readFilter(principal));
  }

  @Get('entities/by-uid/:uid')
  async byUid(@Param('uid') uid: string, @CurrentPrincipal() principal: Principal | undefined) {
    const entity = await this.query.byUid(uid, await this.permissions.readFilter(principal));
    if (!entity) throw new NotFoundError(`No entity with uid ${uid}`);
    return entity;
  }

  @Get('entities/by-name/:kind/:namespace/:name')
  async byName(
    @Param('kind') kind: string,
    @Param('namespace') namespace: string,
    @Param('name') name: string,
    @CurrentPrincipal() principal: Principal | undefined,
  ) {
    const permission = await this.permissions.readFilter(principal);
    const entity = await this.query.byName(kind, namespace, name, permission);
    if (!entity) throw new NotFoundError(`No entity named '${kind}:${namespace}/${name}' found`);
    return entity;
  }

  @Post('entities/by-refs')
  @HttpCode(200)
  async byRefs(
    @Body() raw: unknown,
    @Query() q: QueryParams,
    @CurrentPrincipal() principal: Principal | undefined,
  ) {
    const body = object(raw, 'Request body');
    const refs = body.entityRefs;
    if (!Array.isArray(refs) || refs.some((r) => typeof r !== 'string')) {
      throw new InputError('entityRefs must be a list of entity refs');
    }
    const query = body.query === undefined ? undefined : parsePredicate(body.query);
    const filter = parseFilterParams(q.filter);
    const combined = query && filter ? { $all: [query, filter] } : (query ?? filter);
    const fields = parseFields(body.fields);
    const permission = await this.permissions.readFilter(principal);
    return this.query.byRefs(refs as string[], fields, combined, permission);
  }

  @Get('entity-facets')
  async facetsGet(@Query() q: QueryParams, @CurrentPrincipal() principal: Principal | undefined) {
    const facets = stringsParam(q.facet, 'facet');
    if (!facets?.length) throw new InputError('Missing facet parameter');
    const filter = parseFilterParams(q.filter);
    return this.query.facets(facets, filter, await this.permissions.readFilter(principal));
  }

  @Post('entity-facets')
  @HttpCode(200)
  async facetsPost(@Body() raw: unknown, @CurrentPrincipal() principal: Principal | undefined) {
    const body = object(raw, 'Request body');
    const facets = body.facets;
    if (!Array.isArray(facets) || !facets.length || facets.some((f) => typeof f !== 'string')) {
      throw new InputError('facets must be a non-empty list of field names');
    }
    const query = body.query === undefined ? undefined : parsePredicate(body.query);
    return this.query.facets(facets as string[], query, await this.permissions.readFilter(principal));
  }
}
