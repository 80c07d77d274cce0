import type { Entity } from '@portal/catalog-model';
import { InputError } from '@portal/platform';
import type { DataSource, QueryRunner } from 'typeorm';
import { decodeCursor, encodeCursor, type QueryCursor } from './cursor.js';
import { parseFields, projectFields } from './fields.js';
import { FacetCounts } from './facet-counts.js';
import { andPredicates, parsePredicate, type FilterPredicate } from './filter-predicate.js';
import { fullTextFields, fullTextToSql, normalizeFullText, type FullTextFilter } from './full-text.js';
import { INDEXED_SORT_FIELDS, sortValueSql, type OrderField } from './order.js';
import { predicateToSql } from './predicate-sql.js';
import { VersionedCache } from './versioned-cache.js';

/** Backstage's default page size for by-query. */
export const DEFAULT_QUERY_LIMIT = 200;

export interface EntityQueryOptions {
  /** The largest `limit` accepted (an InputError above it). Default 10 000. */
  maxLimit?: number;
  /** The most refs one by-refs call may ask for. Default 10 000 (the client sends chunks of 1000). */
  maxRefs?: number;
  /** Facet and total results kept per table version (see the migration). 0 disables. Default 256. */
  cacheEntries?: number;
  /** Rows fetched per round trip by {@link EntityQuery.listAll}. Default 500. */
  streamBatchSize?: number;
}

export interface ByQueryRequest {
  filter?: FilterPredicate;
  /** Only the first sorts (as in Backstage); entities lacking the field come last. */
  orderField?: OrderField[];
  fullText?: FullTextFilter;
  /** Default {@link DEFAULT_QUERY_LIMIT}. */
  limit?: number;
  /** Initial requests only. */
  offset?: number;
  /** A cursor from a previous page: filter, order, full text and offset then come from it. */
  cursor?: string;
  /** Default include. */
  totalItems?: 'include' | 'exclude';
  fields?: string[];
}

export interface ByQueryResponse {
  items: Array<Entity | Partial<Entity>>;
  totalItems: number;
  pageInfo: { nextCursor?: string; prevCursor?: string };
}

export interface FacetsResponse {
  facets: Record<string, Array<{ value: string; count: number }>>;
}

export interface ListAllOptions {
  limit?: number;
  offset?: number;
}

interface PageRow {
  id: string;
  entity: Entity;
  sort_value: string | null;
}

/**
 * How a page is read: `walk` the order's index and filter along the way (forced, because the
 * planner cannot know a filter is broad), or leave it to the `planner` (which filters first).
 */
type Plan = 'walk' | 'planner';

const TABLE = 'final_entities';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Paths whose single value also sits in an indexed column or expression (with real statistics),
 * equal to the search document's by the table's CHECKs: filters on them use those indexes.
 */
const COLUMN_PATHS: Readonly<Record<string, string>> = {
  kind: 'fe.kind',
  'metadata.name': `((fe.search -> 'metadata.name'::text) ->> 0)`,
};

/** Settings for one statement that must walk an index in order (and not JIT-compile). */
const WALK_INDEX = 'SET LOCAL enable_bitmapscan = off; SET LOCAL enable_seqscan = off; SET LOCAL jit = off';
/** Settings for statements that read many rows: JIT compilation costs more than it saves here. */
const NO_JIT = 'SET LOCAL jit = off';

function checkCount(
  value: number | undefined,
  name: string,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || value < 0)
    throw new InputError(`Invalid ${name}, must be zero or greater`);
  if (value > max) throw new InputError(`Invalid ${name}, must be at most ${max}`);
  return value;
}

function samePosition(a: Array<string | null> | undefined, b: Array<string | null> | undefined): boolean {
  return !!a && !!b && a.length === b.length && a.every((v, i) => v === b[i]);
}

/**
 * Reads the catalog's final entities: by query (filter, order, full text, keyset cursor, totals),
 * by refs, by name, by uid, facets, and the unpaged stream. Every method takes an optional extra
 * predicate (the caller's permission filter), AND'ed into whatever it reads.
 *
 * Plans worth knowing:
 * - Filters compile to `@>`/`?` on the GIN-indexed search document. PostgreSQL estimates those at a
 *   fixed selectivity, so it cannot tell a filter matching 10 entities from one matching 60 000. An
 *   ordered page therefore decides itself: from the number of matches (the total, or a bounded
 *   count), it either lets the planner filter first and sort the few matches, or walks the sort
 *   field's index in order, filtering as it goes, which stops after `limit` matches.
 * - Facets of the counted paths (kind filter at most) come from counts kept by triggers. Other
 *   facets and totals have to look at every matching entity. They are cached per version of the
 *   table (see the migration), exactly: a cached result is only reused while no change committed.
 * More in README.md.
 */
export class EntityQuery {
  private readonly maxLimit: number;
  private readonly maxRefs: number;
  private readonly streamBatchSize: number;
  private readonly facetCache: VersionedCache<FacetsResponse['facets']>;
  private readonly countCache: VersionedCache<number>;
  private readonly facetCounts: FacetCounts;
  private tableSize?: { rows: number; at: number };
  private readonly missingCounts = new Map<string, { rows: number; limit: number; at: number }>();

  constructor(
    private readonly dataSource: DataSource,
    options: EntityQueryOptions = {},
  ) {
    this.maxLimit = options.maxLimit ?? 10_000;
    this.maxRefs = options.maxRefs ?? 10_000;
    this.streamBatchSize = options.streamBatchSize ?? 500;
    this.facetCache = new VersionedCache(options.cacheEntries ?? 256);
    this.countCache = new VersionedCache(options.cacheEntries ?? 256);
    this.facetCounts = new FacetCounts(dataSource);
  }

  // ---------------------------------------------------------------------------------------------
  // by-query

  async byQuery(request: ByQueryRequest, permission?: FilterPredicate): Promise<ByQueryResponse> {
    const limit = checkCount(request.limit, 'limit', this.maxLimit) ?? DEFAULT_QUERY_LIMIT;
    const fields = parseFields(request.fields);
    const isCursorRequest = request.cursor !== undefined;
    let cursor: QueryCursor;
    let offset = 0;
    if (isCursorRequest) {
      cursor = decodeCursor(request.cursor);
    } else {
      const mode = request.totalItems ?? 'include';
      if (mode !== 'include' && mode !== 'exclude') {
        throw new InputError(`Invalid totalItems "${String(mode)}", expected one of: include, exclude`);
      }
      offset = checkCount(request.offset, 'offset') ?? 0;
      const fullText = normalizeFullText(request.fullText);
      cursor = {
        orderFields: request.orderField ?? [],
        orderFieldValues: [],
        ...(request.filter !== undefined ? { query: parsePredicate(request.filter, 'filter') } : {}),
        ...(fullText ? { fullTextFilter: fullText } : {}),
        isPrevious: false,
      };
      cursor.totalItems = mode === 'include' ? await this.count(cursor, permission) : 0;
    }
    const totalItems = cursor.totalItems ?? 0;

    const sortField = cursor.orderFields[0];
    const rows =
      limit > 0
        ? await this.page(cursor, permission, {
            limit: cursor.isPrevious ? limit : limit + 1,
            offset,
            // A total of 0 may just mean "excluded": then the plan counts for itself.
            matches: cursor.totalItems ? cursor.totalItems : undefined,
          })
        : [];
    if (cursor.isPrevious) rows.reverse();
    const hasMore = limit > 0 && (cursor.isPrevious || rows.length > limit);
    if (rows.length > limit) rows.length = limit;

    const positionOf = (row: PageRow | undefined): Array<string | null> =>
      !row ? [] : sortField ? [row.sort_value, row.id] : [row.id];
    const first = rows[0];
    const last = rows[rows.length - 1];
    const firstSortFieldValues = cursor.firstSortFieldValues ?? positionOf(first);
    const base = { ...cursor, totalItems };
    const pageInfo: ByQueryResponse['pageInfo'] = {};
    if (hasMore && last) {
      pageInfo.nextCursor = encodeCursor({
        ...base,
        orderFieldValues: positionOf(last),
        firstSortFieldValues,
        isPrevious: false,
      });
    }
    // Page one has no previous page: neither the initial request nor a walk back to its first item.
    if (isCursorRequest && first && !samePosition(positionOf(first), cursor.firstSortFieldValues)) {
      pageInfo.prevCursor = encodeCursor({
        ...base,
        orderFieldValues: positionOf(first),
        ...(cursor.firstSortFieldValues ? { firstSortFieldValues: cursor.firstSortFieldValues } : {}),
        isPrevious: true,
      });
    }
    return {
      items: rows.map((row) => projectFields(row.entity, fields)),
      totalItems,
      pageInfo,
    };
  }

  /** The WHERE clause for a query: its filter, the permission filter and its full-text filter. */
  private where(cursor: QueryCursor, permission: FilterPredicate | undefined, params: unknown[]): string {
    const parts: string[] = [];
    const predicate = andPredicates(cursor.query, permission);
    if (predicate) parts.push(this.filterSql(predicate, params));
    if (cursor.fullTextFilter) {
      parts.push(
        fullTextToSql(cursor.fullTextFilter, {
          sortField: cursor.orderFields[0]?.field,
          column: 'fe.search',
          params,
        }).sql,
      );
    }
    return parts.length ? parts.join(' AND ') : 'TRUE';
  }

  private filterSql(predicate: FilterPredicate, params: unknown[]): string {
    return predicateToSql(predicate, { column: 'fe.search', columns: COLUMN_PATHS, params }).sql;
  }

  /** All matching entities, whatever the order field (entities lacking it are listed too). */
  private async count(cursor: QueryCursor, permission?: FilterPredicate): Promise<number> {
    const fullText = cursor.fullTextFilter
      ? [cursor.fullTextFilter.term, fullTextFields(cursor.fullTextFilter, cursor.orderFields[0]?.field)]
      : null;
    const key = JSON.stringify([cursor.query ?? null, permission ?? null, fullText]);
    const version = await this.version();
    return this.countCache.getOrCompute(key, version, () =>
      this.inTransaction(NO_JIT, async (runner) => {
        const params: unknown[] = [];
        const [row] = (await runner.query(
          `SELECT count(*)::bigint AS n, (${VERSION_SQL}) AS version FROM ${TABLE} fe WHERE ${this.where(cursor, permission, params)}`,
          params,
        )) as Array<{ n: string; version: string }>;
        return { version: row!.version, value: Number(row!.n) };
      }),
    );
  }

  /**
   * One page in walking order (forwards, or backwards for a previous-page cursor). The order is:
   * entities with a sort value by (value, entity_id) in the requested direction, then those lacking
   * the field by entity_id ascending; without a sort field, by entity_id ascending.
   */
  private async page(
    cursor: QueryCursor,
    permission: FilterPredicate | undefined,
    options: { limit: number; offset: number; matches: number | undefined },
  ): Promise<PageRow[]> {
    const sortField = cursor.orderFields[0];
    const backwards = cursor.isPrevious;
    const position = cursor.orderFieldValues.length ? cursor.orderFieldValues : undefined;
    const { plan, threshold } = await this.plan(cursor, permission, options);
    const { limit } = options;
    // The group lacking the sort field is walked by entity id only when it is large too; a small one
    // (none lack metadata.name) is cheapest to read through the sort index's NULL entries.
    const missingPlan = async (): Promise<Plan> =>
      plan === 'walk' && (await this.missingRows(sortField!.field, threshold)) > threshold
        ? 'walk'
        : 'planner';

    if (!sortField) {
      const id = position?.[0] ?? undefined;
      return this.readGroup(cursor, permission, {
        group: 'all',
        ascending: !backwards,
        after: id ? { id } : undefined,
        limit,
        offset: options.offset,
        plan,
      });
    }

    const ascending = (sortField.order === 'asc') !== backwards;
    const inNullGroup = position !== undefined && position[0] === null;
    const id = position?.[1] ?? undefined;
    if (!backwards) {
      if (inNullGroup) {
        return this.readGroup(cursor, permission, {
          group: 'missing',
          ascending: true,
          after: { id: id! },
          limit,
          plan: await missingPlan(),
        });
      }
      const valued = await this.readGroup(cursor, permission, {
        group: 'valued',
        ascending,
        after: position ? { value: position[0]!, id: id! } : undefined,
        limit,
        offset: options.offset,
        plan,
      });
      if (valued.length >= limit) return valued;
      // The valued group ran out: the entities lacking the field follow.
      let skip = 0;
      if (options.offset > 0 && valued.length === 0 && !position) {
        skip = Math.max(0, options.offset - (await this.countGroup(cursor, permission)));
      }
      const missing = await this.readGroup(cursor, permission, {
        group: 'missing',
        ascending: true,
        limit: limit - valued.length,
        offset: skip,
        plan: await missingPlan(),
      });
      return [...valued, ...missing];
    }
    if (!inNullGroup) {
      return this.readGroup(cursor, permission, {
        group: 'valued',
        ascending,
        after: { value: position![0]!, id: id! },
        limit,
        plan,
      });
    }
    const missing = await this.readGroup(cursor, permission, {
      group: 'missing',
      ascending: false,
      after: { id: id! },
      limit,
      plan: await missingPlan(),
    });
    if (missing.length >= limit) return missing;
    const valued = await this.readGroup(cursor, permission, {
      group: 'valued',
      ascending,
      limit: limit - missing.length,
      plan,
    });
    return [...missing, ...valued];
  }

  /**
   * Chooses between walking the sort index and filtering first. Walking reads about
   * `limit × rows / matches` rows, filtering reads `matches`: walk when there are more matches than
   * `√(limit × rows)`. Only an index can be walked, so other sort fields always filter first.
   */
  private async plan(
    cursor: QueryCursor,
    permission: FilterPredicate | undefined,
    options: { limit: number; matches: number | undefined },
  ): Promise<{ plan: Plan; threshold: number }> {
    const sortField = cursor.orderFields[0];
    const rows = await this.estimatedRows();
    const threshold = Math.ceil(Math.sqrt(options.limit * Math.max(rows, 1)));
    if (sortField && !INDEXED_SORT_FIELDS.has(sortField.field.toLowerCase()))
      return { plan: 'planner', threshold };
    // Unfiltered, the planner walks the index by itself.
    if (!cursor.query && !permission && !cursor.fullTextFilter) return { plan: 'planner', threshold };
    let matches = options.matches;
    if (matches === undefined) {
      const params: unknown[] = [threshold + 1];
      const [row] = (await this.dataSource.query(
        `SELECT count(*)::int AS n FROM (SELECT 1 FROM ${TABLE} fe WHERE ${this.where(cursor, permission, params)} LIMIT $1) AS m`,
        params,
      )) as Array<{ n: number }>;
      matches = row!.n;
    }
    return { plan: matches > threshold ? 'walk' : 'planner', threshold };
  }

  /** How many entities lack a (indexed) sort field, counted up to `bound`; kept for a minute. */
  private async missingRows(field: string, bound: number): Promise<number> {
    const key = field.toLowerCase();
    const now = Date.now();
    const known = this.missingCounts.get(key);
    // Reusable while fresh if it was exact (below its limit) or counted at least as far as asked.
    if (known && now - known.at < 60_000 && (known.rows < known.limit || known.limit > bound)) {
      return known.rows;
    }
    const params: unknown[] = [bound + 1];
    const sort = sortValueSql(key, params, 'fe.search');
    const [row] = (await this.dataSource.query(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM ${TABLE} fe WHERE ${sort} IS NULL LIMIT $1) AS m`,
      params,
    )) as Array<{ n: number }>;
    this.missingCounts.set(key, { rows: row!.n, limit: bound + 1, at: now });
    return row!.n;
  }

  /** The planner's row count for the table (refreshed at most once a minute). */
  private async estimatedRows(): Promise<number> {
    const now = Date.now();
    if (this.tableSize && now - this.tableSize.at < 60_000) return this.tableSize.rows;
    const [row] = (await this.dataSource.query(
      `SELECT greatest(reltuples, 0)::bigint AS n FROM pg_class WHERE oid = $1::regclass`,
      [TABLE],
    )) as Array<{ n: string }>;
    let rows = Number(row?.n ?? 0);
    if (rows === 0) {
      // Never analyzed (or empty): count, bounded.
      const [counted] = (await this.dataSource.query(
        `SELECT count(*)::int AS n FROM (SELECT 1 FROM ${TABLE} LIMIT 1000000) AS t`,
      )) as Array<{ n: number }>;
      rows = counted!.n;
    }
    this.tableSize = { rows, at: now };
    return rows;
  }

  private async countGroup(cursor: QueryCursor, permission: FilterPredicate | undefined): Promise<number> {
    const params: unknown[] = [];
    const sort = sortValueSql(cursor.orderFields[0]!.field, params, 'fe.search');
    const [row] = (await this.dataSource.query(
      `SELECT count(*)::int AS n FROM ${TABLE} fe WHERE ${sort} IS NOT NULL AND ${this.where(cursor, permission, params)}`,
      params,
    )) as Array<{ n: number }>;
    return row!.n;
  }

  /**
   * Reads one group in order: `valued` (sort value present, keyset over (value, entity_id)),
   * `missing` (no sort value, keyset over entity_id) or `all` (no sort field).
   */
  private async readGroup(
    cursor: QueryCursor,
    permission: FilterPredicate | undefined,
    options: {
      group: 'valued' | 'missing' | 'all';
      ascending: boolean;
      after?: { value?: string; id: string };
      limit: number;
      offset?: number;
      plan: Plan;
    },
  ): Promise<PageRow[]> {
    const params: unknown[] = [];
    const sortField = cursor.orderFields[0];
    const sort = sortField ? sortValueSql(sortField.field, params, 'fe.search') : 'NULL::text';
    const conditions = [this.where(cursor, permission, params)];
    const cmp = options.ascending ? '>' : '<';
    const dir = options.ascending ? 'ASC' : 'DESC NULLS FIRST';
    let orderBy: string;
    if (options.group === 'valued') {
      conditions.push(`${sort} IS NOT NULL`);
      if (options.after) {
        params.push(options.after.value, options.after.id);
        conditions.push(
          `(${sort}, fe.entity_id) ${cmp} ($${params.length - 1}::text, $${params.length}::uuid)`,
        );
      }
      orderBy = `${sort} ${dir}, fe.entity_id ${options.ascending ? 'ASC' : 'DESC'}`;
    } else {
      if (options.group === 'missing') conditions.push(`${sort} IS NULL`);
      if (options.after) {
        params.push(options.after.id);
        conditions.push(`fe.entity_id ${cmp} $${params.length}::uuid`);
      }
      orderBy = `fe.entity_id ${options.ascending ? 'ASC' : 'DESC'}`;
    }
    params.push(options.limit);
    let sql =
      `SELECT fe.entity_id::text AS id, fe.final_entity AS entity, ${sort} AS sort_value FROM ${TABLE} fe` +
      ` WHERE ${conditions.join(' AND ')} ORDER BY ${orderBy} LIMIT $${params.length}`;
    if (options.offset) {
      params.push(options.offset);
      sql += ` OFFSET $${params.length}`;
    }
    // Walking: the valued group along its sort index, the others along the primary key.
    if (options.plan === 'walk') {
      const settings =
        options.group === 'missing' ? `${WALK_INDEX}; SET LOCAL enable_sort = off` : WALK_INDEX;
      return this.inTransaction(settings, (runner) => runner.query(sql, params) as Promise<PageRow[]>);
    }
    return (await this.dataSource.query(sql, params)) as PageRow[];
  }

  // ---------------------------------------------------------------------------------------------
  // by-refs, by-name, by-uid

  /**
   * The entities for the given refs, in request order, null where missing or filtered out. Refs
   * match case-insensitively. `filter` is the request's own filter; `permission` the caller's.
   */
  async byRefs(
    refs: readonly string[],
    fields?: string[],
    filter?: FilterPredicate,
    permission?: FilterPredicate,
  ): Promise<{ items: Array<Entity | Partial<Entity> | null> }> {
    if (!Array.isArray(refs) || refs.some((r) => typeof r !== 'string')) {
      throw new InputError('Invalid entityRefs, expected an array of strings');
    }
    if (refs.length > this.maxRefs)
      throw new InputError(`Too many entityRefs, at most ${this.maxRefs} per request`);
    const projection = parseFields(fields);
    if (refs.length === 0) return { items: [] };
    const wanted = [...new Set(refs.map((r) => r.toLowerCase()))];
    const params: unknown[] = [wanted];
    const predicate = andPredicates(filter && parsePredicate(filter, 'filter'), permission);
    const where = predicate ? ` AND ${this.filterSql(predicate, params)}` : '';
    const rows = (await this.dataSource.query(
      `SELECT fe.entity_ref AS ref, fe.final_entity AS entity FROM ${TABLE} fe WHERE fe.entity_ref = ANY($1::text[])${where}`,
      params,
    )) as Array<{ ref: string; entity: Entity }>;
    const byRef = new Map(rows.map((row) => [row.ref, row.entity]));
    return {
      items: refs.map((ref) => {
        const entity = byRef.get(ref.toLowerCase());
        return entity ? projectFields(entity, projection) : null;
      }),
    };
  }

  /** The entity `kind:namespace/name` (case-insensitive), or undefined. */
  async byName(
    kind: string,
    namespace: string,
    name: string,
    permission?: FilterPredicate,
  ): Promise<Entity | undefined> {
    const ref = `${kind}:${namespace}/${name}`.toLowerCase();
    return this.one('fe.entity_ref = $1', [ref], permission);
  }

  /** The entity with this uid, or undefined (also for something that is not a uuid). */
  async byUid(uid: string, permission?: FilterPredicate): Promise<Entity | undefined> {
    if (typeof uid !== 'string' || !UUID.test(uid)) return undefined;
    return this.one('fe.entity_id = $1::uuid', [uid], permission);
  }

  private async one(
    condition: string,
    params: unknown[],
    permission?: FilterPredicate,
  ): Promise<Entity | undefined> {
    const where = permission ? ` AND ${this.filterSql(permission, params)}` : '';
    const rows = (await this.dataSource.query(
      `SELECT fe.final_entity AS entity FROM ${TABLE} fe WHERE ${condition}${where}`,
      params,
    )) as Array<{ entity: Entity }>;
    return rows[0]?.entity;
  }

  // ---------------------------------------------------------------------------------------------
  // facets

  /**
   * Counts per value of each facet path over the matching entities: `{ facets: { <facet as sent>:
   * [{ value, count }] } }`, values in their original case (the first spelling within an entity),
   * sorted by value. Values over 200 characters are not counted, as in Backstage.
   */
  async facets(
    facets: readonly string[],
    filter?: FilterPredicate,
    permission?: FilterPredicate,
  ): Promise<FacetsResponse> {
    if (!Array.isArray(facets) || facets.some((f) => typeof f !== 'string')) {
      throw new InputError('Invalid facets, expected an array of strings');
    }
    const requested = facets.filter((f) => f.length > 0);
    if (!requested.length) throw new InputError('Missing facet parameter');
    if (requested.length > 100) throw new InputError('Too many facets, at most 100');
    const keys = [...new Set(requested.map((f) => f.toLowerCase()))].sort();
    const predicate = andPredicates(filter && parsePredicate(filter, 'filter'), permission);
    const answer = (counted: FacetsResponse['facets']): FacetsResponse => ({
      facets: Object.fromEntries(requested.map((facet) => [facet, counted[facet.toLowerCase()] ?? []])),
    });
    // The usual facets (a kind at most as filter) come from the maintained counts.
    const maintained = await this.facetCounts.facets(keys, predicate);
    if (maintained) return answer(maintained);
    const cacheKey = JSON.stringify([keys, predicate ?? null]);
    const version = await this.version();
    const counted = await this.facetCache.getOrCompute(cacheKey, version, () =>
      this.inTransaction(`${NO_JIT}; SET LOCAL work_mem = '64MB'`, async (runner) => {
        const params: unknown[] = [keys];
        const where = predicate ? ` AND ${this.filterSql(predicate, params)}` : '';
        // `|| '{}'` hands out the search document decompressed once per row, not once per facet.
        const rows = (await runner.query(
          `SELECT k.key, coalesce(r.originals -> k.key ->> v.value, v.value) AS value, count(*)::bigint AS count,
                  (${VERSION_SQL}) AS version
           FROM (SELECT fe.search || '{}'::jsonb AS search, fe.search_original AS originals
                 FROM ${TABLE} fe WHERE TRUE${where} OFFSET 0) AS r
           CROSS JOIN unnest($1::text[]) AS k(key)
           CROSS JOIN LATERAL jsonb_array_elements_text(r.search -> k.key) AS v(value)
           GROUP BY 1, 2
           ORDER BY 1, 2`,
          params,
        )) as Array<{ key: string; value: string; count: string; version: string }>;
        const byKey: FacetsResponse['facets'] = Object.fromEntries(keys.map((k) => [k, []]));
        for (const row of rows) byKey[row.key]!.push({ value: row.value, count: Number(row.count) });
        // An empty result has no row to carry the version: read it in the same snapshot.
        const at = rows[0]?.version ?? (await this.version(runner));
        return { version: at, value: byKey };
      }),
    );
    return answer(counted);
  }

  // ---------------------------------------------------------------------------------------------
  // the unpaged stream

  /**
   * Every matching entity, read through a server-side cursor in batches, so memory stays flat
   * whatever the catalog size. Order as GET /entities: by each order field in turn (entities
   * lacking one after those having it), then entity_id; without order fields, by entity ref.
   * Invalid input is an InputError from the first `next()`, before any entity; stop iterating at
   * any time and the cursor and its connection are released.
   */
  async *listAll(
    filter?: FilterPredicate,
    fields?: string[],
    order?: OrderField[],
    permission?: FilterPredicate,
    options: ListAllOptions = {},
  ): AsyncGenerator<Entity | Partial<Entity>> {
    const projection = parseFields(fields);
    const limit = checkCount(options.limit, 'limit');
    const offset = checkCount(options.offset, 'offset');
    const params: unknown[] = [];
    const predicate = andPredicates(filter && parsePredicate(filter, 'filter'), permission);
    const where = predicate ? this.filterSql(predicate, params) : 'TRUE';
    const orderBy = order?.length
      ? [
          ...order.map(
            ({ field, order: dir }) =>
              `${sortValueSql(field, params, 'fe.search')} ${dir === 'desc' ? 'DESC' : 'ASC'} NULLS LAST`,
          ),
          'fe.entity_id ASC',
        ].join(', ')
      : 'fe.entity_ref ASC';
    let sql = `SELECT fe.final_entity AS entity FROM ${TABLE} fe WHERE ${where} ORDER BY ${orderBy}`;
    if (limit !== undefined) {
      params.push(limit);
      sql += ` LIMIT $${params.length}`;
    }
    if (offset !== undefined) {
      params.push(offset);
      sql += ` OFFSET $${params.length}`;
    }

    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    let open = false;
    try {
      await runner.startTransaction('REPEATABLE READ');
      open = true;
      await runner.query(NO_JIT);
      await runner.query(`DECLARE entity_stream NO SCROLL CURSOR FOR ${sql}`, params);
      for (;;) {
        const rows = (await runner.query(`FETCH ${this.streamBatchSize} FROM entity_stream`)) as Array<{
          entity: Entity;
        }>;
        for (const row of rows) yield projectFields(row.entity, projection);
        if (rows.length < this.streamBatchSize) break;
      }
      await runner.commitTransaction();
      open = false;
    } finally {
      if (open) await runner.rollbackTransaction().catch(() => undefined);
      await runner.release();
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** The table's change version (see the migration), as the given connection's snapshot sees it. */
  private async version(runner?: QueryRunner): Promise<string> {
    const rows = (await (runner ?? this.dataSource).query(`SELECT (${VERSION_SQL}) AS version`)) as Array<{
      version: string;
    }>;
    return rows[0]!.version;
  }

  /** Runs `work` in one read-only transaction (one snapshot) after applying `settings`. */
  private async inTransaction<T>(settings: string, work: (runner: QueryRunner) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query(`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; ${settings}`);
      try {
        const result = await work(runner);
        await runner.query('COMMIT');
        return result;
      } catch (err) {
        await runner.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    } finally {
      await runner.release();
    }
  }
}

const VERSION_SQL = 'SELECT coalesce(sum(version), 0)::text FROM final_entities_version';
