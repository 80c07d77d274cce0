import type { Entity, JsonObject } from '@portal/catalog-model';
import type { PermissionCondition, PermissionCriteria } from '@portal/platform';
import { EntityQuery } from '../entities/query/entity-query.js';
import {
  createCatalogTestDatabase,
  fixtureCatalog,
  insertEntities,
  type CatalogTestDatabase,
} from '../entities/query/testing/catalog-test-database.js';
import { catalogEntityRuleset } from './rules.js';

type Conditions = PermissionCriteria<PermissionCondition>;
const leaf = (rule: string, params: Record<string, unknown>): Conditions => ({
  rule,
  resourceType: 'catalog-entity',
  params,
});

function entity(
  kind: string,
  name: string,
  extra: {
    owners?: string[];
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
    spec?: JsonObject;
    tags?: string[];
    title?: string;
  },
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: {
      name,
      namespace: 'perm',
      ...(extra.annotations ? { annotations: extra.annotations } : {}),
      ...(extra.labels ? { labels: extra.labels } : {}),
      ...(extra.tags ? { tags: extra.tags } : {}),
      ...(extra.title ? { title: extra.title } : {}),
    },
    spec: extra.spec ?? {},
    relations: (extra.owners ?? []).map((targetRef) => ({ type: 'ownedBy', targetRef })),
  };
}

/** A small table of entities whose expected rule results are written out below. */
const table: Entity[] = [
  entity('Component', 'pay', {
    owners: ['group:default/team-a'],
    annotations: { 'backstage.io/techdocs-ref': 'dir:.', 'github.com/project-slug': 'Org/Pay' },
    labels: { tier: 'Gold' },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
    tags: ['java', 'payments'],
    title: 'Payments',
  }),
  entity('Component', 'web', {
    owners: ['group:default/team-b'],
    labels: { tier: 'silver' },
    spec: { type: 'website', lifecycle: 'experimental', owner: 'team-b' },
  }),
  entity('API', 'pay-api', {
    owners: ['group:default/team-a', 'user:default/jane'],
    spec: { type: 'openapi', lifecycle: 'production', owner: 'team-a', definition: 'x' },
  }),
  entity('Group', 'team-a', { spec: { type: 'team', children: [] } }),
  entity('System', 'orphan', { annotations: { 'backstage.io/orphan': 'true' }, spec: {} }),
];

/** Each case: conditions and the names of the table entities they hold for. */
const cases: Array<[string, Conditions, string[]]> = [
  ['owner team-a', leaf('IS_ENTITY_OWNER', { claims: ['group:default/team-a'] }), ['pay', 'pay-api']],
  [
    'owner, any case',
    leaf('IS_ENTITY_OWNER', { claims: ['Group:Default/Team-B', 'user:default/nobody'] }),
    ['web'],
  ],
  ['owner, user claim', leaf('is_entity_owner', { claims: ['user:default/jane'] }), ['pay-api']],
  ['owner, no claims', leaf('IS_ENTITY_OWNER', { claims: [] }), []],
  ['kind', leaf('IS_ENTITY_KIND', { kinds: ['component', 'API'] }), ['pay', 'web', 'pay-api']],
  ['kind none', leaf('IS_ENTITY_KIND', { kinds: ['Domain'] }), []],
  ['annotation exists', leaf('HAS_ANNOTATION', { annotation: 'backstage.io/techdocs-ref' }), ['pay']],
  [
    'annotation value, any case',
    leaf('HAS_ANNOTATION', { annotation: 'github.com/project-slug', value: 'org/pay' }),
    ['pay'],
  ],
  [
    'annotation other value',
    leaf('HAS_ANNOTATION', { annotation: 'backstage.io/techdocs-ref', value: 'url:x' }),
    [],
  ],
  ['label exists', leaf('HAS_LABEL', { label: 'tier' }), ['pay', 'web']],
  ['label value', leaf('HAS_LABEL', { label: 'tier', value: 'gold' }), ['pay']],
  ['metadata title', leaf('HAS_METADATA', { key: 'title' }), ['pay']],
  ['metadata name value', leaf('HAS_METADATA', { key: 'name', value: 'WEB' }), ['web']],
  ['metadata tags value', leaf('HAS_METADATA', { key: 'tags', value: 'java' }), ['pay']],
  ['spec lifecycle', leaf('HAS_SPEC', { key: 'lifecycle', value: 'production' }), ['pay', 'pay-api']],
  ['spec definition exists', leaf('HAS_SPEC', { key: 'definition' }), ['pay-api']],
  ['spec type website', leaf('HAS_SPEC', { key: 'type', value: 'website' }), ['web']],
  [
    'allOf owner + kind',
    {
      allOf: [
        leaf('IS_ENTITY_OWNER', { claims: ['group:default/team-a'] }),
        leaf('IS_ENTITY_KIND', { kinds: ['api'] }),
      ],
    },
    ['pay-api'],
  ],
  [
    'anyOf owner / group kind',
    {
      anyOf: [
        leaf('IS_ENTITY_OWNER', { claims: ['group:default/team-b'] }),
        leaf('IS_ENTITY_KIND', { kinds: ['group'] }),
      ],
    },
    ['web', 'team-a'],
  ],
  [
    'not orphan',
    { not: leaf('HAS_ANNOTATION', { annotation: 'backstage.io/orphan', value: 'true' }) },
    ['pay', 'web', 'pay-api', 'team-a'],
  ],
  [
    'nested',
    {
      allOf: [
        { anyOf: [leaf('HAS_LABEL', { label: 'tier' }), leaf('IS_ENTITY_KIND', { kinds: ['API'] })] },
        { not: leaf('HAS_SPEC', { key: 'type', value: 'website' }) },
      ],
    },
    ['pay', 'pay-api'],
  ],
];

describe('catalog permission rules', () => {
  let db: CatalogTestDatabase;
  let query: EntityQuery;
  let stored: Entity[];

  beforeAll(async () => {
    db = await createCatalogTestDatabase('permrules');
    stored = await insertEntities(db.dataSource, [...table, ...fixtureCatalog()]);
    query = new EntityQuery(db.dataSource, { cacheEntries: 0 });
  }, 60_000);

  afterAll(async () => {
    await db?.drop();
  });

  it.each(cases)('%s: apply() gives the expected entities', (_name, conditions, expected) => {
    const matched = table
      .filter((e) => catalogEntityRuleset.apply(conditions, e))
      .map((e) => e.metadata.name);
    expect(matched.sort()).toEqual([...expected].sort());
  });

  it.each(cases)(
    '%s: toQuery() in the database selects exactly what apply() accepts',
    async (_name, conditions, expected) => {
      const filter = catalogEntityRuleset.toQuery(conditions);
      const page = await query.byQuery({ limit: 10_000 }, filter);
      const fromSql = page.items.map((e) => e.metadata!.uid!).sort();
      const inMemory = stored
        .filter((e) => catalogEntityRuleset.apply(conditions, e))
        .map((e) => e.metadata.uid!);
      expect(fromSql).toEqual(inMemory.sort());
      expect(page.totalItems).toBe(inMemory.length);
      // And on the table alone, the written expectation.
      const names = page.items.filter((e) => e.metadata!.namespace === 'perm').map((e) => e.metadata!.name!);
      expect(names.sort()).toEqual([...expected].sort());
    },
  );

  it('IS_ENTITY_OWNER turns into relations.ownedBy $in claims, as Backstage', () => {
    expect(catalogEntityRuleset.toQuery(leaf('IS_ENTITY_OWNER', { claims: ['group:default/a'] }))).toEqual({
      'relations.ownedBy': { $in: ['group:default/a'] },
    });
    expect(
      catalogEntityRuleset.toQuery({
        not: { anyOf: [leaf('HAS_LABEL', { label: 'x' }), leaf('HAS_SPEC', { key: 'a', value: 'b' })] },
      }),
    ).toEqual({ $not: { $any: [{ 'metadata.labels.x': { $exists: true } }, { 'spec.a': 'b' }] } });
  });

  it('refuses bad params', () => {
    expect(() =>
      catalogEntityRuleset.toQuery(leaf('IS_ENTITY_OWNER', { claims: 'group:default/a' })),
    ).toThrow(/claims/);
    expect(() => catalogEntityRuleset.toQuery(leaf('HAS_LABEL', {}))).toThrow(/label/);
    expect(() => catalogEntityRuleset.toQuery(leaf('HAS_SPEC', { key: 'a', other: 1 }))).toThrow(
      /additional/,
    );
  });

  it('publishes the six rules with their params schemas', () => {
    expect(catalogEntityRuleset.metadata().map((r) => r.name)).toEqual([
      'IS_ENTITY_OWNER',
      'IS_ENTITY_KIND',
      'HAS_ANNOTATION',
      'HAS_LABEL',
      'HAS_METADATA',
      'HAS_SPEC',
    ]);
    for (const rule of catalogEntityRuleset.metadata()) {
      expect(rule.resourceType).toBe('catalog-entity');
      expect(rule.paramsSchema).toMatchObject({ type: 'object' });
    }
  });
});
