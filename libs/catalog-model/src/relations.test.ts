import type { Entity } from './entity.js';
import { KindRegistry } from './kinds/kind-registry.js';
import { relationsOf, type RelationTriple } from './relations.js';
import { backstageRelations } from './testing/backstage-oracle.js';

const kinds = new KindRegistry();

const refValues = [
  'x',
  'X-Upper',
  'group:x',
  'Group:NS/X',
  'ns/x',
  'user:default/jdoe',
  'component:a/b/c',
  'api:petstore',
  'system:Other/Sys',
  ':bad',
  'ns/',
];

// The relation fields of each built-in kind, with a spec that is otherwise valid.
const kindFields: Array<[string, Record<string, unknown>, string[], string[]]> = [
  [
    'Component',
    { type: 'service', lifecycle: 'production', owner: 'team' },
    ['owner', 'subcomponentOf', 'system'],
    ['providesApis', 'consumesApis', 'dependsOn', 'dependencyOf'],
  ],
  [
    'API',
    { type: 'openapi', lifecycle: 'production', owner: 'team', definition: 'x' },
    ['owner', 'system'],
    [],
  ],
  ['Resource', { type: 'database', owner: 'team' }, ['owner', 'system'], ['dependsOn', 'dependencyOf']],
  ['System', { owner: 'team' }, ['owner', 'domain'], []],
  ['Domain', { owner: 'team' }, ['owner', 'subdomainOf'], []],
  ['Group', { type: 'team', children: [] }, ['parent'], ['children', 'members']],
  ['User', { memberOf: [] }, [], ['memberOf']],
];

const namespaces = [undefined, 'team-a', 'Team-A'];

function entity(kind: string, spec: Record<string, unknown>, namespace: string | undefined): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name: 'Self', ...(namespace === undefined ? {} : { namespace }) },
    spec: spec as Entity['spec'],
  };
}

const corpus: Entity[] = kindFields.flatMap(([kind, base, single, lists]) =>
  namespaces.flatMap((namespace) => [
    entity(kind, base, namespace),
    ...single.flatMap((field) => refValues.map((ref) => entity(kind, { ...base, [field]: ref }, namespace))),
    ...lists.flatMap((field) => [
      ...refValues.map((ref) => entity(kind, { ...base, [field]: [ref] }, namespace)),
      entity(
        kind,
        { ...base, [field]: ['component:a', 'resource:b', 'component:a', 'Component:A'] },
        namespace,
      ),
      entity(kind, { ...base, [field]: [] }, namespace),
    ]),
  ]),
);

function key(triple: RelationTriple): string {
  return `${triple.source} ${triple.type} ${triple.target}`;
}

function ours(e: Entity): { relations?: string[]; failed: boolean } {
  const { forward, inverse, problems } = relationsOf(e, kinds);
  if (problems.length > 0) return { failed: true };
  return { relations: [...new Set([...forward, ...inverse].map(key))].sort(), failed: false };
}

function theirs(e: Entity): { relations?: string[]; failed: boolean } {
  try {
    return { relations: [...new Set(backstageRelations(e as never).map(key))].sort(), failed: false };
  } catch {
    return { failed: true };
  }
}

describe('relationsOf: parity with Backstage', () => {
  it(`emits the relations Backstage's processor emits, over ${corpus.length} entities`, () => {
    const mismatches = corpus.filter((e) => JSON.stringify(ours(e)) !== JSON.stringify(theirs(e)));
    expect(mismatches).toEqual([]);
    expect(corpus.filter((e) => theirs(e).failed).length).toBeGreaterThan(0);
    expect(corpus.filter((e) => (theirs(e).relations?.length ?? 0) > 2).length).toBeGreaterThan(0);
  });
});

describe('relationsOf', () => {
  const component = entity(
    'Component',
    {
      type: 'service',
      lifecycle: 'production',
      owner: 'Team-A',
      system: 'payments/Checkout',
      providesApis: ['orders-api'],
      dependsOn: ['resource:orders-db', 'resource:orders-db'],
    },
    'Shop',
  );

  it('writes forward relations from the entity and inverse ones back to it, in lowercase', () => {
    const { forward, inverse, problems } = relationsOf(component, kinds);
    expect(problems).toEqual([]);
    expect(forward).toEqual([
      { source: 'component:shop/self', type: 'ownedBy', target: 'group:shop/team-a' },
      { source: 'component:shop/self', type: 'providesApi', target: 'api:shop/orders-api' },
      { source: 'component:shop/self', type: 'dependsOn', target: 'resource:shop/orders-db' },
      { source: 'component:shop/self', type: 'partOf', target: 'system:payments/checkout' },
    ]);
    expect(inverse).toEqual([
      { source: 'group:shop/team-a', type: 'ownerOf', target: 'component:shop/self' },
      { source: 'api:shop/orders-api', type: 'apiProvidedBy', target: 'component:shop/self' },
      { source: 'resource:shop/orders-db', type: 'dependencyOf', target: 'component:shop/self' },
      { source: 'system:payments/checkout', type: 'hasPart', target: 'component:shop/self' },
    ]);
  });

  it('names the field of a ref it cannot read', () => {
    const e = entity('Component', { type: 's', lifecycle: 'l', owner: 'o', dependsOn: ['db', 7] }, undefined);
    expect(relationsOf(e, kinds).problems).toEqual([
      {
        path: 'spec.dependsOn.0',
        message:
          'Entity reference "db" had missing or empty kind (e.g. did not start with "component:" or similar)',
      },
      { path: 'spec.dependsOn.1', message: 'must be an entity reference string' },
    ]);
  });

  it('skips empty fields and unknown kinds', () => {
    const e = entity('Component', { type: 's', lifecycle: 'l', owner: '', system: null }, undefined);
    expect(relationsOf(e, kinds)).toEqual({ forward: [], inverse: [], problems: [] });
    expect(relationsOf({ ...e, kind: 'Unknown' }, kinds).forward).toEqual([]);
    expect(relationsOf({ ...e, kind: 'component' }, kinds).forward).toEqual([]);
  });

  it('does not follow inherited properties', () => {
    const spec = Object.create({ owner: 'group:inherited' }) as Record<string, unknown>;
    Object.assign(spec, { type: 's', lifecycle: 'l' });
    expect(relationsOf(entity('Component', spec, undefined), kinds).forward).toEqual([]);
  });

  it('survives entities of the wrong shape', () => {
    for (const bad of [
      null,
      1,
      'x',
      [],
      {},
      { kind: 'Component' },
      { kind: 'Component', metadata: { name: 1 } },
    ]) {
      expect(relationsOf(bad as unknown as Entity, kinds)).toEqual({
        forward: [],
        inverse: [],
        problems: [],
      });
    }
  });

  it('emits the relations of custom kinds, nested fields included', () => {
    const custom = new KindRegistry();
    custom.register({
      apiVersion: 'example.com/v1',
      kind: 'Pipeline',
      specSchema: { type: 'object' },
      relations: [
        { field: 'spec.deploy.targets', type: 'deploysTo', inverse: 'deployedBy', defaultKind: 'Resource' },
        { field: 'spec.maintainer', type: 'maintainedBy', inverse: 'maintainerOf' },
      ],
    });
    const pipeline: Entity = {
      apiVersion: 'example.com/v1',
      kind: 'Pipeline',
      metadata: { name: 'build', namespace: 'ci' },
      spec: { deploy: { targets: ['cluster-a', 'prod/Cluster-B'] }, maintainer: 'user:jdoe' },
    };
    expect(relationsOf(pipeline, custom)).toEqual({
      forward: [
        { source: 'pipeline:ci/build', type: 'deploysTo', target: 'resource:ci/cluster-a' },
        { source: 'pipeline:ci/build', type: 'deploysTo', target: 'resource:prod/cluster-b' },
        { source: 'pipeline:ci/build', type: 'maintainedBy', target: 'user:ci/jdoe' },
      ],
      inverse: [
        { source: 'resource:ci/cluster-a', type: 'deployedBy', target: 'pipeline:ci/build' },
        { source: 'resource:prod/cluster-b', type: 'deployedBy', target: 'pipeline:ci/build' },
        { source: 'user:ci/jdoe', type: 'maintainerOf', target: 'pipeline:ci/build' },
      ],
      problems: [],
    });
  });

  it('keeps a symmetric relation to itself in both lists', () => {
    const custom = new KindRegistry();
    custom.register({
      apiVersion: 'v1',
      kind: 'Peer',
      specSchema: {},
      relations: [{ field: 'spec.peer', type: 'peerOf', inverse: 'peerOf', defaultKind: 'Peer' }],
    });
    const peer: Entity = { apiVersion: 'v1', kind: 'Peer', metadata: { name: 'p' }, spec: { peer: 'p' } };
    const { forward, inverse } = relationsOf(peer, custom);
    expect(forward).toEqual([{ source: 'peer:default/p', type: 'peerOf', target: 'peer:default/p' }]);
    expect(inverse).toEqual(forward);
  });
});
