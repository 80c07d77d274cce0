import {
  KindRegistry,
  relationsOf,
  stringifyEntityRef,
  validateEntity,
  type Entity,
  type JsonObject,
} from '@portal/catalog-model';
import { generateEntities, MIN_ENTITIES, planCounts } from './generate-entities.js';

const kinds = new KindRegistry();
const spec = (entity: Entity) => entity.spec as JsonObject;
const ofKind = (entities: Entity[], kind: string) => entities.filter((entity) => entity.kind === kind);

function countBy<T>(items: T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

describe('planCounts', () => {
  it.each([10, 11, 99, 1000, 10_000, 12_345, 100_000])('splits %i entities exactly', (count) => {
    const counts = planCounts(count);
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(count);
    for (const n of Object.values(counts)) expect(n).toBeGreaterThanOrEqual(1);
  });

  it('refuses fewer than the smallest organisation', () => {
    expect(() => planCounts(MIN_ENTITIES - 1)).toThrow(RangeError);
    expect(() => planCounts(10.5)).toThrow(RangeError);
  });
});

describe('generateEntities', () => {
  const entities = generateEntities(10_000, 42);
  const refs = new Set(entities.map((entity) => stringifyEntityRef(entity)));

  it('is deterministic: the same seed and count give the same entities, another seed others', () => {
    expect(generateEntities(2_000, 42)).toEqual(generateEntities(2_000, 42));
    expect(generateEntities(2_000, 43)).not.toEqual(generateEntities(2_000, 42));
    // A smaller organisation is not a prefix of a larger one: the plan differs.
    expect(generateEntities(2_000, 42)).toHaveLength(2_000);
  });

  it('has the proportions of each kind', () => {
    const share = (kind: string) => (ofKind(entities, kind).length / entities.length) * 100;
    expect(entities).toHaveLength(10_000);
    expect(share('Group')).toBeCloseTo(2, 1);
    expect(share('User')).toBeCloseTo(10, 1);
    expect(share('Domain') + share('System')).toBeCloseTo(1, 1);
    expect(share('Domain')).toBeGreaterThan(0);
    expect(share('Component')).toBeCloseTo(55, 1);
    expect(share('API')).toBeCloseTo(20, 1);
    expect(share('Resource')).toBeCloseTo(12, 1);
  });

  it('names every entity once', () => {
    expect(refs.size).toBe(entities.length);
  });

  it('is valid, entity by entity', () => {
    const invalid = entities
      .map((entity) => ({ ref: stringifyEntityRef(entity), problems: validateEntity(entity, kinds) }))
      .filter(({ problems }) => problems.length > 0);
    expect(invalid).toEqual([]);
  });

  it('has no dangling relation: every relation points at an entity it generated', () => {
    let relations = 0;
    const dangling: string[] = [];
    for (const entity of entities) {
      const { forward, problems } = relationsOf(entity, kinds);
      expect(problems).toEqual([]);
      relations += forward.length;
      for (const { source, type, target } of forward) {
        if (!refs.has(target)) dangling.push(`${source} ${type} ${target}`);
      }
    }
    expect(dangling).toEqual([]);
    // A graph, not a list: several relations per entity on average.
    expect(relations / entities.length).toBeGreaterThan(2);
  });

  it('builds the group tree organisation → departments → teams, each side naming the other', () => {
    const groups = ofKind(entities, 'Group');
    const byName = new Map(groups.map((group) => [group.metadata.name, group]));
    const types = countBy(groups, (group) => String(spec(group).type));
    expect(types.get('organization')).toBe(1);
    expect(types.get('department')).toBeGreaterThan(1);
    expect(types.get('team')).toBeGreaterThan(types.get('department')!);
    for (const group of groups) {
      const parent = spec(group).parent as string | undefined;
      const expectedParentType = { organization: undefined, department: 'organization', team: 'department' }[
        spec(group).type as 'organization' | 'department' | 'team'
      ];
      if (expectedParentType === undefined) expect(parent).toBeUndefined();
      else expect(spec(byName.get(parent!)!).type).toBe(expectedParentType);
      for (const child of spec(group).children as string[]) {
        expect(spec(byName.get(child)!).parent).toBe(group.metadata.name);
      }
    }
  });

  it('makes every user a member of a team, and every team have members', () => {
    const groups = new Map(ofKind(entities, 'Group').map((group) => [group.metadata.name, group]));
    const members = new Map<string, number>();
    for (const user of ofKind(entities, 'User')) {
      const memberOf = spec(user).memberOf as string[];
      expect(memberOf.length).toBeGreaterThanOrEqual(1);
      expect(spec(groups.get(memberOf[0]!)!).type).toBe('team');
      for (const group of memberOf) members.set(group, (members.get(group) ?? 0) + 1);
    }
    for (const [name, group] of groups) {
      if (spec(group).type === 'team') expect(members.get(name) ?? 0).toBeGreaterThan(0);
    }
  });

  it('has components of each type and lifecycle, owned by teams, most in systems', () => {
    const components = ofKind(entities, 'Component');
    const teams = new Set(
      ofKind(entities, 'Group')
        .filter((group) => spec(group).type === 'team')
        .map((group) => group.metadata.name),
    );
    const types = countBy(components, (component) => String(spec(component).type));
    expect([...types.keys()].sort()).toEqual(['library', 'service', 'website']);
    expect(types.get('service')!).toBeGreaterThan(types.get('website')!);
    const lifecycles = countBy(components, (component) => String(spec(component).lifecycle));
    expect([...lifecycles.keys()].sort()).toEqual(['deprecated', 'experimental', 'production']);
    expect(components.every((component) => teams.has(spec(component).owner as string))).toBe(true);
    const inSystems = components.filter((component) => spec(component).system).length;
    expect(inSystems / components.length).toBeGreaterThan(0.85);
    const withDependencies = components.filter((component) => spec(component).dependsOn).length;
    expect(withDependencies / components.length).toBeGreaterThan(0.5);
  });

  it('draws tags from a realistic vocabulary with a skewed distribution', () => {
    const tags = countBy(
      entities.flatMap((entity) => entity.metadata.tags ?? []),
      (tag) => tag,
    );
    const ranked = [...tags.values()].sort((a, b) => b - a);
    expect(tags.size).toBeGreaterThan(40);
    expect(ranked[0]!).toBeGreaterThan(5 * ranked[19]!);
    expect(tags.get('java')).toBe(ranked[0]);
  });

  it('gives every API a type, a small definition and exactly one providing component', () => {
    const apis = ofKind(entities, 'API');
    const providers = countBy(
      ofKind(entities, 'Component').flatMap((component) => (spec(component).providesApis as string[]) ?? []),
      (name) => name,
    );
    const types = countBy(apis, (api) => String(spec(api).type));
    expect([...types.keys()].sort()).toEqual(['graphql', 'grpc', 'openapi']);
    for (const api of apis) {
      expect(providers.get(api.metadata.name)).toBe(1);
      const definition = spec(api).definition as string;
      expect(definition.length).toBeLessThan(2_000);
    }
    const openapi = apis.find((api) => spec(api).type === 'openapi')!;
    expect(spec(openapi).definition).toMatch(/^openapi: 3\.0\.3\n/);
    const grpc = apis.find((api) => spec(api).type === 'grpc')!;
    expect(spec(grpc).definition).toMatch(/^syntax = "proto3";\n\npackage acme\.[a-z_]+\.v\d;/);
    const consumed = ofKind(entities, 'Component').filter((component) => spec(component).consumesApis).length;
    expect(consumed).toBeGreaterThan(0);
  });

  it('puts every resource to use: some component depends on it', () => {
    const used = new Set(
      ofKind(entities, 'Component').flatMap((component) => (spec(component).dependsOn as string[]) ?? []),
    );
    for (const resource of ofKind(entities, 'Resource')) {
      expect(used.has(`resource:${resource.metadata.name}`)).toBe(true);
    }
  });

  it.each([MIN_ENTITIES, 11, 17, 33, 57, 150, 999])(
    'is valid and self-contained at %i entities too',
    (count) => {
      const small = generateEntities(count, count);
      const smallRefs = new Set(small.map((entity) => stringifyEntityRef(entity)));
      for (const entity of small) {
        expect(validateEntity(entity, kinds)).toEqual([]);
        for (const { target } of relationsOf(entity, kinds).forward) expect(smallRefs.has(target)).toBe(true);
      }
    },
  );
});
