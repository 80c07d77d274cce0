import type { Entity } from '@portal/catalog-model';
import type { DataSource } from 'typeorm';
import type { FilterPredicate, FilterPredicatePrimitive, FilterPredicateValue } from './filter-predicate.js';
import { escapeLike, predicateToSql } from './predicate-sql.js';
import { buildSearchDocument, type SearchDocument } from './search-document.js';
import {
  createCatalogTestDatabase,
  fixtureCatalog,
  insertEntities,
  type CatalogTestDatabase,
} from './testing/catalog-test-database.js';

describe('predicateToSql (SQL shape)', () => {
  it('uses containment for equality, with the value lowercased and passed as a parameter', () => {
    expect(predicateToSql({ Kind: 'Component' })).toEqual({
      sql: 'search @> $1::jsonb',
      params: ['{"kind":["component"]}'],
    });
  });

  it('continues the numbering of the statement and uses the given column', () => {
    const params: unknown[] = ['a', 'b'];
    const { sql } = predicateToSql({ 'spec.type': 'service' }, { column: 'fe.search', params });
    expect(sql).toBe('fe.search @> $3::jsonb');
    expect(params).toEqual(['a', 'b', '{"spec.type":["service"]}']);
  });

  it('uses one containment per $in value through an array parameter, and ? for existence', () => {
    const { sql, params } = predicateToSql({
      $all: [
        { 'spec.type': { $in: ['Service', 7, true, 'service'] } },
        { 'metadata.tags': { $exists: false } },
      ],
    });
    expect(sql).toBe('(search @> ANY($1::jsonb[]) AND NOT (search ? $2::text))');
    expect(params).toEqual([
      ['{"spec.type":["service"]}', '{"spec.type":["7"]}', '{"spec.type":["true"]}'],
      'metadata.tags',
    ]);
  });

  it('escapes LIKE wildcards in prefixes', () => {
    expect(escapeLike('a%b_c\\d')).toBe('a\\%b\\_c\\\\d');
    const { params } = predicateToSql({ 'metadata.name': { $hasPrefix: '50%_Off' } });
    expect(params).toEqual(['metadata.name', '50\\%\\_off%']);
  });

  it('uses a mapped column for equality, $in and prefixes', () => {
    const columns = { kind: 'fe.kind' };
    expect(predicateToSql({ kind: 'API' }, { columns }).sql).toBe('fe.kind = $1::text');
    expect(predicateToSql({ kind: { $in: ['API', 'Component'] } }, { columns })).toEqual({
      sql: 'fe.kind = ANY($1::text[])',
      params: [['api', 'component']],
    });
    expect(predicateToSql({ kind: { $hasPrefix: 'Comp' } }, { columns }).sql).toBe(
      "fe.kind LIKE $1::text ESCAPE '\\'",
    );
  });

  it('writes constants for empty combinators and empty $in', () => {
    expect(predicateToSql({ $all: [] }).sql).toBe('TRUE');
    expect(predicateToSql({ $any: [] }).sql).toBe('FALSE');
    expect(predicateToSql({}).sql).toBe('TRUE');
    expect(predicateToSql({ kind: { $in: [] } }).sql).toBe('FALSE');
  });

  it('never puts a value into the SQL text', () => {
    const hostile = "x'); DROP TABLE final_entities; --";
    const { sql } = predicateToSql({
      $any: [
        { [hostile]: hostile },
        { kind: { $in: [hostile] } },
        { kind: { $hasPrefix: hostile } },
        { relations: { $contains: { type: hostile, targetRef: hostile } } },
      ],
    });
    expect(sql).not.toContain('DROP');
    expect(sql).not.toContain("'x");
  });
});

/** The reference semantics (Backstage's search table), evaluated on a search document in memory. */
function matches(doc: SearchDocument, predicate: FilterPredicate): boolean {
  const p = predicate as Record<string, unknown>;
  if ('$not' in p) return !matches(doc, p.$not as FilterPredicate);
  if ('$all' in p) return (p.$all as FilterPredicate[]).every((q) => matches(doc, q));
  if ('$any' in p) return (p.$any as FilterPredicate[]).some((q) => matches(doc, q));
  const lower = (v: FilterPredicatePrimitive) => String(v).toLowerCase();
  return Object.entries(p as Record<string, FilterPredicateValue>).every(([rawKey, value]) => {
    const key = rawKey.toLowerCase();
    const values = Object.prototype.hasOwnProperty.call(doc, key) ? doc[key]! : undefined;
    if (typeof value !== 'object') return !!values?.includes(lower(value));
    if ('$exists' in value) return value.$exists === (values !== undefined);
    if ('$in' in value) return value.$in.some((v) => values?.includes(lower(v)));
    if ('$hasPrefix' in value) return !!values?.some((v) => v.startsWith(value.$hasPrefix.toLowerCase()));
    const target = value.$contains;
    if (typeof target !== 'object') return !!values?.includes(lower(target));
    const type = String(target.type).toLowerCase();
    const refs = target.targetRef;
    const related = doc[`relations.${type}`];
    if (refs === undefined) return related !== undefined;
    const wanted = typeof refs === 'object' ? (refs as { $in: string[] }).$in : [refs as string];
    return wanted.some((r) => related?.includes(r.toLowerCase()));
  });
}

describe('predicateToSql against PostgreSQL', () => {
  let db: CatalogTestDatabase;
  let dataSource: DataSource;
  let entities: Entity[];

  beforeAll(async () => {
    db = await createCatalogTestDatabase('predicate');
    dataSource = db.dataSource;
    entities = await insertEntities(dataSource, fixtureCatalog());
  });

  afterAll(async () => {
    await db?.drop();
  });

  const refOf = (e: Entity) =>
    `${e.kind}:${e.metadata.namespace ?? 'default'}/${e.metadata.name}`.toLowerCase();

  async function select(predicate: FilterPredicate, columns?: Record<string, string>): Promise<string[]> {
    const { sql, params } = predicateToSql(predicate, { column: 'fe.search', columns });
    const rows = (await dataSource.query(
      `SELECT entity_ref FROM final_entities fe WHERE ${sql} ORDER BY entity_ref`,
      params,
    )) as Array<{ entity_ref: string }>;
    return rows.map((r) => r.entity_ref);
  }

  function expected(predicate: FilterPredicate): string[] {
    return entities
      .filter((e) => matches(buildSearchDocument(e), predicate))
      .map(refOf)
      .sort();
  }

  it.each<[string, FilterPredicate, string[]]>([
    ['equality, any case', { KIND: 'api' }, ['api:default/petstore-api', 'api:default/search-grpc']],
    [
      'equality on a value spelled differently',
      { 'spec.type': 'SERVICE' },
      ['component:default/legacy-billing', 'component:default/petstore'],
    ],
    ['numbers compare as strings', { 'metadata.labels.tier': 1 }, ['component:default/petstore']],
    [
      'booleans compare as strings',
      { 'metadata.tags.java': true },
      ['component:default/legacy-billing', 'component:default/petstore'],
    ],
    [
      'array membership',
      { 'metadata.tags': { $contains: 'Java' } },
      ['component:default/legacy-billing', 'component:default/petstore'],
    ],
    [
      'namespace defaults to default',
      { 'metadata.namespace': 'platform' },
      ['component:platform/build-tools', 'group:platform/infra'],
    ],
    [
      '$in',
      { 'spec.type': { $in: ['website', 'grpc'] } },
      ['api:default/search-grpc', 'component:default/wayback-search'],
    ],
    [
      '$exists on an annotation key with dots',
      { 'metadata.annotations.backstage.io/techdocs-ref': { $exists: true } },
      ['component:default/petstore'],
    ],
    [
      '$hasPrefix, case-insensitive',
      { 'metadata.name': { $hasPrefix: 'PET' } },
      ['api:default/petstore-api', 'component:default/petstore', 'system:default/petstore-system'],
    ],
    [
      '$hasPrefix treats % and _ literally',
      { 'metadata.description': { $hasPrefix: 'search the 100%' } },
      ['component:default/wayback-search'],
    ],
    ['$hasPrefix wildcard is not a wildcard', { 'metadata.name': { $hasPrefix: '%' } }, []],
    [
      'relations.<type> by ref',
      { 'relations.ownedBy': 'group:platform/infra' },
      ['component:platform/build-tools'],
    ],
    [
      '$contains relation type and target',
      { relations: { $contains: { type: 'memberOf', targetRef: 'group:default/team-b' } } },
      ['user:default/asmith'],
    ],
    [
      '$contains relation type and one of the targets',
      { relations: { $contains: { type: 'MEMBEROF', targetRef: { $in: ['group:default/team-a'] } } } },
      ['user:default/asmith', 'user:default/jdoe'],
    ],
    [
      '$contains relation type only',
      { relations: { $contains: { type: 'dependsOn' } } },
      ['component:default/legacy-billing'],
    ],
    [
      'over-long values exist…',
      { 'spec.definition': { $exists: true } },
      ['api:default/petstore-api', 'api:default/search-grpc'],
    ],
    [
      '…but never equal',
      { 'spec.definition': { $in: ['x'.repeat(500), 'syntax = "proto3";'] } },
      ['api:default/search-grpc'],
    ],
  ])('%s', async (_name, predicate, refs) => {
    expect(await select(predicate)).toEqual(refs);
    expect(await select(predicate)).toEqual(expected(predicate));
  });

  it('$not and $exists: false match entities lacking the path', async () => {
    const untyped = await select({ $all: [{ kind: 'component' }, { 'spec.type': { $exists: false } }] });
    expect(untyped).toEqual(['component:default/untyped-thing']);
    const notTagged = await select({ $all: [{ kind: 'component' }, { $not: { 'metadata.tags': 'java' } }] });
    expect(notTagged).toEqual([
      'component:default/untyped-thing',
      'component:default/wayback-search',
      'component:platform/build-tools',
    ]);
  });

  it('agrees with the reference semantics on a battery of predicates, with and without mapped columns', async () => {
    const battery: FilterPredicate[] = [
      { $all: [] },
      { $any: [] },
      {},
      { kind: { $in: [] } },
      { kind: 'component', 'spec.lifecycle': 'production' },
      { $any: [{ kind: 'group' }, { kind: 'user', 'metadata.title': 'john doe' }] },
      { $not: { $any: [{ kind: 'component' }, { kind: 'api' }] } },
      { kind: { $hasPrefix: 'comp' } },
      { 'metadata.name': { $in: ['Team-A', 'petstore', 'nothing'] } },
      { 'metadata.links.url': 'https://petstore.example.com' },
      { 'spec.memberof': { $contains: 'team-a' } },
      { 'spec.memberof.team-a': 'true' },
      { 'metadata.annotations.backstage.io/orphan': 'TRUE' },
      { 'metadata.description': { $exists: true }, kind: { $in: ['component'] } },
      { 'metadata.description': { $hasPrefix: 'legacy' } },
      { 'relations.ownerof': { $hasPrefix: 'component:' } },
      { $all: [{ $not: { 'spec.owner': { $exists: true } } }, { $not: { kind: 'group' } }] },
      { 'metadata.uid': entities[0]!.metadata.uid! },
    ];
    for (const predicate of battery) {
      const want = expected(predicate);
      expect({ predicate, refs: await select(predicate) }).toEqual({ predicate, refs: want });
      const mapped = await select(predicate, { kind: 'fe.kind', 'metadata.name': 'fe.name' });
      expect({ predicate, refs: mapped }).toEqual({ predicate, refs: want });
    }
  });

  it('is served by the GIN index for equality, $in and existence', async () => {
    const plan = async (predicate: FilterPredicate) => {
      const { sql, params } = predicateToSql(predicate, { column: 'fe.search' });
      const runner = dataSource.createQueryRunner();
      await runner.connect();
      try {
        await runner.query('BEGIN; SET LOCAL enable_seqscan = off');
        const rows = (await runner.query(
          `EXPLAIN SELECT 1 FROM final_entities fe WHERE ${sql}`,
          params,
        )) as Array<Record<string, string>>;
        await runner.query('ROLLBACK');
        return rows.map((r) => Object.values(r)[0]).join('\n');
      } finally {
        await runner.release();
      }
    };
    expect(await plan({ 'spec.type': 'service' })).toContain('final_entities_search_idx');
    expect(await plan({ 'spec.type': { $in: ['service', 'website'] } })).toContain(
      'final_entities_search_idx',
    );
    expect(await plan({ 'metadata.tags': { $exists: true } })).toContain('final_entities_search_idx');
  });
});
