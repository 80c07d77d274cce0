import type { Entity } from '@portal/catalog-model';
import { COUNTED_PATHS } from '../../migrations/1763905000000-facet-counts.js';
import { compactFacetCounts } from '../../processing/operations/compact-facet-counts.js';
import { inTransaction } from '../../processing/util/sql.js';
import { EntityQuery } from './entity-query.js';
import { FacetCounts, kindsOnly } from './facet-counts.js';
import type { FilterPredicate } from './filter-predicate.js';
import { buildSearchColumns } from './search-document.js';
import {
  createCatalogTestDatabase,
  fixtureCatalog,
  insertEntities,
  manyServices,
  type CatalogTestDatabase,
} from './testing/catalog-test-database.js';

describe('kindsOnly', () => {
  it('reads the kinds a kind-only predicate allows', () => {
    expect(kindsOnly(undefined)).toBeUndefined();
    expect(kindsOnly({ kind: 'Component' })).toEqual(['component']);
    expect(kindsOnly({ KIND: { $in: ['API', 'api', 'Group'] } })).toEqual(['api', 'group']);
    expect(kindsOnly({ $all: [{ kind: 'user' }] })).toEqual(['user']);
    expect(kindsOnly({ $any: [{ kind: 'user' }, { kind: { $in: ['group'] } }] })).toEqual(['user', 'group']);
  });

  it('refuses anything else', () => {
    for (const predicate of [
      { kind: 'component', 'spec.type': 'service' },
      { 'spec.type': 'service' },
      { kind: { $exists: true } },
      { kind: { $hasPrefix: 'comp' } },
      { $not: { kind: 'component' } },
      { $all: [{ kind: 'component' }, { kind: 'api' }] },
      { $all: [] },
      { $any: [] },
      { $any: [{ kind: 'user' }, { 'spec.type': 'service' }] },
    ] as FilterPredicate[]) {
      expect(kindsOnly(predicate)).toBeNull();
    }
  });
});

describe('FacetCounts', () => {
  let db: CatalogTestDatabase;
  let counts: FacetCounts;
  let query: EntityQuery;
  const keys = [...COUNTED_PATHS].sort();
  const filters: Array<FilterPredicate | undefined> = [
    undefined,
    { kind: 'Component' },
    { kind: { $in: ['api', 'GROUP', 'user'] } },
    { $any: [{ kind: 'system' }, { kind: 'resource' }] },
  ];

  /** The scan's answer: a TRUE permission predicate keeps the counts out of it. */
  async function scanned(filter: FilterPredicate | undefined) {
    return (await query.facets(keys, filter, { $all: [] })).facets;
  }

  async function expectCountsToMatchTheScan() {
    for (const filter of filters) {
      expect(await counts.facets(keys, filter)).toEqual(await scanned(filter));
    }
  }

  beforeAll(async () => {
    db = await createCatalogTestDatabase('facets');
    counts = new FacetCounts(db.dataSource);
    query = new EntityQuery(db.dataSource, { cacheEntries: 0 });
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('counts only the counted paths, with a kind filter at most', async () => {
    expect(await counts.facets(['spec.system'], undefined)).toBeUndefined();
    expect(await counts.facets(['kind'], { 'spec.type': 'service' })).toBeUndefined();
    expect(await counts.facets(['kind', 'spec.type'], { kind: 'component' })).toEqual({
      kind: [],
      'spec.type': [],
    });
  });

  it('answers exactly as the scan through inserts, updates, deletes and compactions', async () => {
    const stored = await insertEntities(db.dataSource, [...fixtureCatalog(), ...manyServices(40)]);
    await expectCountsToMatchTheScan();
    expect((await counts.facets(['kind'], undefined))!.kind).toEqual(
      expect.arrayContaining([{ value: 'Component', count: 45 }]),
    );

    // Updates that change facet values (a tag in another case, a new owner), and one that changes none.
    const retag = (entity: Entity, tags: string[], owner?: string): Entity => ({
      ...entity,
      metadata: { ...entity.metadata, tags },
      spec: { ...entity.spec, ...(owner ? { owner } : {}) },
    });
    const changed = [
      retag(stored[0]!, ['Java', 'zig']),
      ...stored
        .filter((e) => e.kind === 'Component')
        .slice(0, 10)
        .map((e) => retag(e, ['go'], 'team-z')),
    ];
    for (const entity of changed) {
      const { search, originals } = buildSearchColumns(entity);
      await db.dataSource.query(
        `UPDATE final_entities SET final_entity = $2::jsonb, search = $3::jsonb, search_original = $4::jsonb
          WHERE entity_id = $1`,
        [entity.metadata.uid, JSON.stringify(entity), JSON.stringify(search), JSON.stringify(originals)],
      );
    }
    await db.dataSource.query(`UPDATE final_entities SET hash = hash || 'x' WHERE kind = 'user'`);
    await expectCountsToMatchTheScan();

    expect(await inTransaction(db.dataSource, compactFacetCounts)).toBeGreaterThan(0);
    const [{ n }] = (await db.dataSource.query(
      'SELECT count(*)::int AS n FROM final_entities_facet_deltas',
    )) as [{ n: number }];
    expect(n).toBe(0);
    await expectCountsToMatchTheScan();

    await db.dataSource.query(`DELETE FROM final_entities WHERE kind IN ('api', 'system')`);
    await expectCountsToMatchTheScan();
    await inTransaction(db.dataSource, compactFacetCounts);
    await expectCountsToMatchTheScan();
    // Values nobody holds any more are gone from the counts, not kept at zero.
    const [{ zero }] = (await db.dataSource.query(
      `SELECT count(*)::int AS zero FROM final_entities_facet_counts WHERE count <= 0 OR kind IN ('api', 'system')`,
    )) as [{ zero: number }];
    expect(zero).toBe(0);

    await db.dataSource.query('TRUNCATE final_entities');
    expect(await counts.facets(keys, undefined)).toEqual(Object.fromEntries(keys.map((k) => [k, []])));
  });

  it('lets one compaction run at a time', async () => {
    await insertEntities(db.dataSource, manyServices(5));
    const runner = db.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await runner.query('SELECT pg_advisory_xact_lock($1, 1)', [0x63617431]);
      expect(await inTransaction(db.dataSource, compactFacetCounts)).toBeUndefined();
      await runner.rollbackTransaction();
    } finally {
      await runner.release();
    }
    await expectCountsToMatchTheScan();
    expect(await inTransaction(db.dataSource, compactFacetCounts)).toBeGreaterThan(0);
    await expectCountsToMatchTheScan();
  });
});
