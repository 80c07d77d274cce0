import { jest } from '@jest/globals';
import type { Entity } from '@portal/catalog-model';
import { InputError } from '@portal/platform';
import { randomUUID } from 'node:crypto';
import { decodeCursor } from './cursor.js';
import { EntityQuery, type ByQueryRequest, type ByQueryResponse } from './entity-query.js';
import type { FilterPredicate } from './filter-predicate.js';
import type { OrderField } from './order.js';
import { buildSearchDocument } from './search-document.js';
import {
  createCatalogTestDatabase,
  fixtureCatalog,
  insertEntities,
  manyServices,
  type CatalogTestDatabase,
} from './testing/catalog-test-database.js';

const uid = (e: Partial<Entity> | null | undefined) => e?.metadata?.uid;
const names = (items: Array<Partial<Entity> | null>) => items.map((e) => e?.metadata?.name ?? null);

async function errorOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}

describe('EntityQuery', () => {
  let db: CatalogTestDatabase;
  let query: EntityQuery;
  let entities: Entity[];

  beforeAll(async () => {
    db = await createCatalogTestDatabase('query');
    entities = await insertEntities(db.dataSource, [...fixtureCatalog(), ...manyServices(60)]);
    query = new EntityQuery(db.dataSource);
  });

  afterAll(async () => {
    await db?.drop();
  });

  /** The order by-query promises: valued by (first value, uid) in the direction, then missing by uid. */
  function expectedOrder(filter: (e: Entity) => boolean, order?: OrderField): string[] {
    const selected = entities.filter(filter);
    const byId = (a: Entity, b: Entity) => (uid(a)! < uid(b)! ? -1 : 1);
    if (!order) return selected.sort(byId).map((e) => uid(e)!);
    const valueOf = (e: Entity) => buildSearchDocument(e)[order.field.toLowerCase()]?.[0];
    const valued = selected.filter((e) => valueOf(e) !== undefined);
    const missing = selected.filter((e) => valueOf(e) === undefined).sort(byId);
    const sign = order.order === 'asc' ? 1 : -1;
    valued.sort((a, b) => {
      const [va, vb] = [valueOf(a)!, valueOf(b)!];
      if (va !== vb) return va < vb ? -sign : sign;
      return byId(a, b) * sign;
    });
    return [...valued, ...missing].map((e) => uid(e)!);
  }

  /** Pages forward to the end, then back to the start, checking the cursors on the way. */
  async function walk(request: ByQueryRequest, permission?: FilterPredicate) {
    const pages: ByQueryResponse[] = [await query.byQuery(request, permission)];
    expect(pages[0]!.pageInfo.prevCursor).toBeUndefined();
    while (pages[pages.length - 1]!.pageInfo.nextCursor) {
      const cursor = pages[pages.length - 1]!.pageInfo.nextCursor!;
      const page = await query.byQuery({ cursor, limit: request.limit }, permission);
      expect(page.pageInfo.prevCursor).toBeDefined();
      expect(page.totalItems).toBe(pages[0]!.totalItems);
      pages.push(page);
      expect(pages.length).toBeLessThan(100);
    }
    const forward = pages.flatMap((p) => p.items.map((e) => uid(e)!));
    // Back from the last page: each previous page is the page before it, and page one has no prev.
    const back: string[][] = [];
    let prev = pages[pages.length - 1]!.pageInfo.prevCursor;
    while (prev) {
      const page = await query.byQuery({ cursor: prev, limit: request.limit }, permission);
      expect(page.pageInfo.nextCursor).toBeDefined();
      back.unshift(page.items.map((e) => uid(e)!));
      prev = page.pageInfo.prevCursor;
      expect(back.length).toBeLessThan(100);
    }
    expect(back).toEqual(pages.slice(0, -1).map((p) => p.items.map((e) => uid(e)!)));
    return { pages, forward };
  }

  describe('byQuery', () => {
    it('returns everything by entity id with the default limit and a total', async () => {
      const res = await query.byQuery({});
      expect(res.items).toHaveLength(74);
      expect(res.totalItems).toBe(74);
      expect(res.pageInfo).toEqual({});
      expect(res.items.map(uid)).toEqual(expectedOrder(() => true));
    });

    it('filters case-insensitively and orders by metadata.name', async () => {
      const res = await query.byQuery({
        filter: { kind: 'COMPONENT', 'spec.type': { $in: ['SERVICE', 'library'] } },
        orderField: [{ field: 'metadata.name', order: 'asc' }],
        limit: 5,
      });
      expect(res.totalItems).toBe(48);
      expect(names(res.items)).toEqual(['build-tools', 'legacy-billing', 'petstore', 'svc-001', 'svc-002']);
      expect(res.pageInfo.nextCursor).toBeDefined();
    });

    it.each<[string, OrderField | undefined, number]>([
      ['metadata.title asc (missing titles last)', { field: 'metadata.title', order: 'asc' }, 7],
      ['metadata.title desc (missing titles still last)', { field: 'metadata.title', order: 'desc' }, 6],
      ['metadata.name desc', { field: 'metadata.name', order: 'desc' }, 9],
      ['spec.lifecycle (not indexed)', { field: 'spec.lifecycle', order: 'asc' }, 8],
      ['no order field', undefined, 10],
    ])('pages to the end and back with cursors: %s', async (_name, order, limit) => {
      const { pages, forward } = await walk({ orderField: order ? [order] : undefined, limit });
      expect(forward).toEqual(expectedOrder(() => true, order));
      expect(pages.every((p, i) => p.items.length === (i < pages.length - 1 ? limit : p.items.length))).toBe(
        true,
      );
    });

    it('pages a filtered query whose index walk is forced, in both directions', async () => {
      // 60+ matches for a limit of 3 is "broad": the page walks the (kind, name) index.
      const spy = jest.spyOn(query as unknown as { inTransaction: (s: string) => unknown }, 'inTransaction');
      const filter = { kind: 'component' };
      for (const order of ['asc', 'desc'] as const) {
        const orderField = { field: 'metadata.name', order };
        const { forward, pages } = await walk({ filter, orderField: [orderField], limit: 3 });
        expect(forward).toEqual(expectedOrder((e) => e.kind === 'Component', orderField));
        expect(pages[0]!.totalItems).toBe(65);
      }
      expect(spy.mock.calls.some(([settings]) => settings.includes('enable_bitmapscan = off'))).toBe(true);
      spy.mockRestore();
    });

    it('walks the entities lacking the sort field by id when there are many of them', async () => {
      const spy = jest.spyOn(query as unknown as { inTransaction: (s: string) => unknown }, 'inTransaction');
      const filter = { kind: 'component' };
      for (const order of ['asc', 'desc'] as const) {
        const orderField = { field: 'metadata.title', order };
        const { forward } = await walk({ filter, orderField: [orderField], limit: 2 });
        expect(forward).toEqual(expectedOrder((e) => e.kind === 'Component', orderField));
      }
      expect(spy.mock.calls.some(([settings]) => settings.includes('enable_sort = off'))).toBe(true);
      spy.mockRestore();
    });

    it('pages a narrow filter (left to the planner) and a full-text filter', async () => {
      const narrow = await walk({ filter: { 'spec.type': { $in: ['grpc', 'openapi'] } }, limit: 1 });
      expect(narrow.forward).toEqual(
        expectedOrder((e) => ['grpc', 'openapi'].includes(String(e.spec?.type))),
      );
      const text = await walk({ fullText: { term: 'RVICE ', fields: ['metadata.title'] }, limit: 3 });
      expect(text.forward).toEqual(
        expectedOrder((e) =>
          String(e.metadata.title ?? '')
            .toLowerCase()
            .includes('rvice '),
        ),
      );
      expect(text.forward).toHaveLength(40);
    });

    it('keeps the filter under `query` in the cursor and ignores request parameters on cursor requests', async () => {
      const first = await query.byQuery({ filter: { kind: 'api' }, limit: 1 });
      const decoded = JSON.parse(atob(first.pageInfo.nextCursor!));
      expect(decoded.query).toEqual({ kind: 'api' });
      expect(decoded.totalItems).toBe(2);
      const second = await query.byQuery({
        cursor: first.pageInfo.nextCursor!,
        filter: { kind: 'user' },
        limit: 1,
      });
      expect(second.items.map((e) => e.kind)).toEqual(['API']);
      expect(second.totalItems).toBe(2);
      expect(second.pageInfo.nextCursor).toBeUndefined();

      const unfiltered = await query.byQuery({ limit: 1 });
      expect('query' in JSON.parse(atob(unfiltered.pageInfo.nextCursor!))).toBe(false);
    });

    it('applies an offset on the initial request, also past the entities having the sort field', async () => {
      const order = { field: 'metadata.title', order: 'asc' } as const;
      const all = expectedOrder(() => true, order);
      const res = await query.byQuery({ orderField: [order], offset: 50, limit: 10 });
      expect(res.items.map(uid)).toEqual(all.slice(50, 60));
      const valuedCount = entities.filter((e) => e.metadata.title).length;
      const deep = await query.byQuery({ orderField: [order], offset: valuedCount + 2, limit: 3 });
      expect(deep.items.map(uid)).toEqual(all.slice(valuedCount + 2, valuedCount + 5));
      const next = await query.byQuery({ cursor: deep.pageInfo.nextCursor!, limit: 3 });
      expect(next.items.map(uid)).toEqual(all.slice(valuedCount + 5, valuedCount + 8));
    });

    it('reports totalItems 0 when excluded, and still pages', async () => {
      const res = await query.byQuery({ filter: { kind: 'component' }, totalItems: 'exclude', limit: 20 });
      expect(res.totalItems).toBe(0);
      expect(res.items).toHaveLength(20);
      const next = await query.byQuery({ cursor: res.pageInfo.nextCursor!, limit: 50 });
      expect(next.items).toHaveLength(45);
      expect(next.totalItems).toBe(0);
    });

    it('full-text searches the sort field by default, case-insensitively, with wildcards taken literally', async () => {
      const byName = await query.byQuery({
        fullText: { term: 'PETSTORE' },
        orderField: [{ field: 'metadata.name', order: 'asc' }],
      });
      expect(names(byName.items)).toEqual(['petstore', 'petstore-api', 'petstore-system']);
      expect(byName.totalItems).toBe(3);
      const literal = await query.byQuery({ fullText: { term: '100%', fields: ['metadata.description'] } });
      expect(names(literal.items)).toEqual(['Wayback-Search']);
      const underscore = await query.byQuery({
        fullText: { term: 'archive_of', fields: ['metadata.description'] },
      });
      expect(names(underscore.items)).toEqual(['Wayback-Search']);
      // As a LIKE wildcard, `_` would match the space in "the 100".
      const notWildcard = await query.byQuery({
        fullText: { term: 'the_100', fields: ['metadata.description'] },
      });
      expect(notWildcard.items).toEqual([]);
      const noWildcard = await query.byQuery({ fullText: { term: '_', fields: ['metadata.name'] } });
      expect(noWildcard.items).toEqual([]);
    });

    it('counts full-text matches on the field actually searched (the sort field by default)', async () => {
      const byName = await query.byQuery({
        fullText: { term: 'svc' },
        orderField: [{ field: 'metadata.name', order: 'asc' }],
      });
      const byTitle = await query.byQuery({
        fullText: { term: 'svc' },
        orderField: [{ field: 'metadata.title', order: 'asc' }],
      });
      expect(byName.totalItems).toBe(60);
      expect(byTitle.totalItems).toBe(0);
      expect(byTitle.items).toEqual([]);
    });

    it('projects fields', async () => {
      const res = await query.byQuery({
        filter: { 'metadata.name': 'petstore', kind: 'component' },
        fields: ['kind', 'metadata.annotations.backstage.io/techdocs-ref'],
      });
      expect(res.items).toEqual([
        { kind: 'Component', metadata: { annotations: { 'backstage.io/techdocs-ref': 'dir:.' } } },
      ]);
    });

    it('ANDs the permission predicate into results, totals and cursors', async () => {
      const permission = { 'relations.ownedBy': 'group:default/team-a' };
      const { forward, pages } = await walk({ filter: { kind: 'component' }, limit: 1 }, permission);
      expect(pages[0]!.totalItems).toBe(2);
      expect(forward.sort()).toEqual(
        entities
          .filter((e) => e.kind === 'Component' && e.spec?.owner === 'team-a')
          .map((e) => uid(e)!)
          .sort(),
      );
      // The permission filter is the caller's, never written into the cursor.
      expect(decodeCursor(pages[0]!.pageInfo.nextCursor!).query).toEqual({ kind: 'component' });
    });

    it('returns no items for limit 0, with the total', async () => {
      const res = await query.byQuery({ filter: { kind: 'api' }, limit: 0 });
      expect(res).toEqual({ items: [], totalItems: 2, pageInfo: {} });
    });

    it('refuses bad input with InputErrors', async () => {
      await expect(query.byQuery({ limit: -1 })).rejects.toThrow(InputError);
      await expect(query.byQuery({ limit: 1.5 })).rejects.toThrow('Invalid limit');
      await expect(query.byQuery({ limit: 100_000 })).rejects.toThrow('Invalid limit, must be at most 10000');
      await expect(query.byQuery({ offset: -3 })).rejects.toThrow('Invalid offset');
      await expect(query.byQuery({ totalItems: 'all' as 'include' })).rejects.toThrow('Invalid totalItems');
      await expect(query.byQuery({ cursor: 'garbage!' })).rejects.toThrow('Malformed cursor');
      await expect(query.byQuery({ fields: ['metadata.tags[0]'] })).rejects.toThrow('array type fields');
      await expect(query.byQuery({ filter: { kind: null } as unknown as FilterPredicate })).rejects.toThrow(
        'Invalid filter predicate at filter.kind',
      );
      await expect(query.facets(['kind'], { $bad: 1 } as unknown as FilterPredicate)).rejects.toThrow(
        InputError,
      );
      const tampered = Buffer.from(
        JSON.stringify({ orderFields: [], orderFieldValues: ['not-a-uuid'], isPrevious: false }),
      ).toString('base64');
      const err = await errorOf(query.byQuery({ cursor: tampered }));
      expect(err).toBeInstanceOf(InputError);
    });
  });

  describe('byRefs', () => {
    it('returns items in request order with null for missing refs, case-insensitively', async () => {
      const res = await query.byRefs([
        'component:default/petstore',
        'component:default/nope',
        'Group:Default/Team-A',
        'component:default/wayback-search',
        'component:default/petstore',
      ]);
      expect(names(res.items)).toEqual(['petstore', null, 'Team-A', 'Wayback-Search', 'petstore']);
    });

    it('applies fields, the request filter and the permission predicate', async () => {
      const refs = ['component:default/petstore', 'api:default/petstore-api', 'user:default/jdoe'];
      expect((await query.byRefs(refs, ['metadata.name'])).items).toEqual([
        { metadata: { name: 'petstore' } },
        { metadata: { name: 'petstore-api' } },
        { metadata: { name: 'jdoe' } },
      ]);
      expect(names((await query.byRefs(refs, undefined, { kind: 'api' })).items)).toEqual([
        null,
        'petstore-api',
        null,
      ]);
      expect(
        names((await query.byRefs(refs, undefined, undefined, { kind: { $in: ['user', 'api'] } })).items),
      ).toEqual([null, 'petstore-api', 'jdoe']);
    });

    it('handles empty and oversized requests', async () => {
      expect(await query.byRefs([])).toEqual({ items: [] });
      const small = new EntityQuery(db.dataSource, { maxRefs: 2 });
      await expect(small.byRefs(['a', 'b', 'c'])).rejects.toThrow('Too many entityRefs');
      await expect(query.byRefs([1] as unknown as string[])).rejects.toThrow(InputError);
    });
  });

  describe('byName and byUid', () => {
    it('finds an entity case-insensitively, or nothing', async () => {
      expect((await query.byName('component', 'default', 'WAYBACK-SEARCH'))?.metadata.name).toBe(
        'Wayback-Search',
      );
      expect((await query.byName('Group', 'PLATFORM', 'infra'))?.metadata.namespace).toBe('platform');
      expect(await query.byName('component', 'default', 'missing')).toBeUndefined();
    });

    it('finds by uid, and answers undefined for unknown or malformed uids', async () => {
      const petstore = entities.find((e) => e.metadata.name === 'petstore')!;
      expect((await query.byUid(uid(petstore)!))?.metadata.name).toBe('petstore');
      expect((await query.byUid(uid(petstore)!.toUpperCase()))?.metadata.name).toBe('petstore');
      expect(await query.byUid(randomUUID())).toBeUndefined();
      expect(await query.byUid("1' OR '1'='1")).toBeUndefined();
    });

    it('hides what the permission predicate excludes', async () => {
      const petstore = entities.find((e) => e.metadata.name === 'petstore')!;
      const onlyApis = { kind: 'api' };
      expect(await query.byName('component', 'default', 'petstore', onlyApis)).toBeUndefined();
      expect(await query.byUid(uid(petstore)!, onlyApis)).toBeUndefined();
      expect(await query.byName('api', 'default', 'petstore-api', onlyApis)).toBeDefined();
    });
  });

  describe('facets', () => {
    it('counts original-case values per facet as sent, sorted', async () => {
      const res = await query.facets([
        'Kind',
        'spec.type',
        'metadata.tags',
        'relations.ownedBy',
        'nothing.here',
      ]);
      expect(res.facets.Kind).toEqual([
        { value: 'API', count: 2 },
        { value: 'Component', count: 65 },
        { value: 'Group', count: 3 },
        { value: 'Resource', count: 1 },
        { value: 'System', count: 1 },
        { value: 'User', count: 2 },
      ]);
      expect(res.facets['spec.type']).toEqual([
        { value: 'Service', count: 1 },
        { value: 'database', count: 1 },
        { value: 'grpc', count: 1 },
        { value: 'library', count: 1 },
        { value: 'openapi', count: 1 },
        { value: 'service', count: 46 },
        { value: 'team', count: 3 },
        { value: 'website', count: 16 },
      ]);
      expect(res.facets['metadata.tags']).toEqual([
        { value: 'go', count: 1 },
        { value: 'java', count: 2 },
        { value: 'react', count: 1 },
        { value: 'rest', count: 1 },
        { value: 'spring', count: 1 },
        { value: 'typescript', count: 1 },
      ]);
      expect(res.facets['relations.ownedBy']).toEqual([
        { value: 'group:default/team-a', count: 5 },
        { value: 'group:default/team-b', count: 63 },
        { value: 'group:platform/infra', count: 1 },
      ]);
      expect(res.facets['nothing.here']).toEqual([]);
    });

    it('leaves out values over 200 characters', async () => {
      const res = await query.facets(['metadata.description'], { kind: 'component' });
      expect(res.facets['metadata.description']).toEqual([
        { value: 'Search the 100% archive_of old_pages', count: 1 },
      ]);
    });

    it('applies the filter and the permission predicate', async () => {
      const res = await query.facets(
        ['spec.type'],
        { kind: 'component' },
        { 'spec.lifecycle': 'production' },
      );
      expect(res.facets['spec.type']).toEqual([
        { value: 'library', count: 1 },
        { value: 'service', count: 46 },
        { value: 'website', count: 15 },
      ]);
    });

    it('refuses a missing facet', async () => {
      await expect(query.facets([])).rejects.toThrow('Missing facet parameter');
      await expect(query.facets([''])).rejects.toThrow(InputError);
    });

    it('serves repeats from the cache until a change commits, and only then', async () => {
      const counting = new EntityQuery(db.dataSource);
      const runs = jest.spyOn(counting as unknown as { inTransaction: () => unknown }, 'inTransaction');
      // A (TRUE) permission predicate: the scan, not the maintained counts.
      const tags = async () =>
        (await counting.facets(['metadata.tags'], undefined, { $all: [] })).facets['metadata.tags'];
      const before = await tags();
      await tags();
      expect(runs).toHaveBeenCalledTimes(1);

      // A statement that changes no row is no change.
      await db.dataSource.query(`UPDATE final_entities SET hash = hash WHERE false`);
      await tags();
      expect(runs).toHaveBeenCalledTimes(1);

      const [added] = await insertEntities(db.dataSource, [
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: 'tagged', tags: ['go', 'zig'] },
          spec: { type: 'service' },
        },
      ]);
      const after = await tags();
      expect(runs).toHaveBeenCalledTimes(2);
      expect(after).toEqual(
        expect.arrayContaining([
          { value: 'go', count: 2 },
          { value: 'zig', count: 1 },
        ]),
      );
      expect(before).not.toEqual(after);

      await db.dataSource.query(`DELETE FROM final_entities WHERE entity_id = $1`, [uid(added)]);
      expect(await tags()).toEqual(before);
      expect(runs).toHaveBeenCalledTimes(3);
      runs.mockRestore();
    });
  });

  describe('listAll', () => {
    const collect = async (iterable: AsyncIterable<Partial<Entity>>) => {
      const out: Array<Partial<Entity>> = [];
      for await (const e of iterable) out.push(e);
      return out;
    };

    it('streams everything by entity ref in batches', async () => {
      const small = new EntityQuery(db.dataSource, { streamBatchSize: 7 });
      const all = await collect(small.listAll());
      const refs = all.map((e) =>
        `${e.kind}:${e.metadata!.namespace ?? 'default'}/${e.metadata!.name}`.toLowerCase(),
      );
      expect(refs).toHaveLength(74);
      expect(refs).toEqual([...refs].sort());
    });

    it('filters, orders (missing values last, then by id), projects and applies the permission predicate', async () => {
      const order: OrderField[] = [{ field: 'metadata.title', order: 'desc' }];
      const items = await collect(
        query.listAll({ kind: 'component' }, ['metadata.uid', 'metadata.title'], order),
      );
      expect(items.map(uid)).toEqual(expectedOrder((e) => e.kind === 'Component', order[0]));
      expect(Object.keys(items[0]!)).toEqual(['metadata']);

      const permitted = await collect(
        query.listAll(undefined, ['metadata.name'], undefined, { kind: 'api' }),
      );
      expect(names(permitted)).toEqual(['petstore-api', 'search-grpc']);
    });

    it('supports limit and offset', async () => {
      const all = await collect(query.listAll());
      const some = await collect(
        query.listAll(undefined, undefined, undefined, undefined, { offset: 10, limit: 5 }),
      );
      expect(some.map(uid)).toEqual(all.slice(10, 15).map(uid));
    });

    it('releases its connection when the consumer stops early', async () => {
      for (let i = 0; i < 10; i++) {
        for await (const entity of query.listAll()) {
          expect(entity).toBeDefined();
          break;
        }
      }
      // With a pool of 4, leaked cursors would leave this waiting for a connection forever.
      expect((await query.byQuery({ limit: 1 })).items).toHaveLength(1);
    });
  });
});
