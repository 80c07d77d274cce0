import { checkEntityTree } from './entity-tree.js';

const entity = (extra: Record<string, unknown>) => ({
  apiVersion: 'v1',
  kind: 'K',
  metadata: { name: 'n' },
  ...extra,
});

describe('checkEntityTree', () => {
  it('reports nothing for an ordinary entity', () => {
    expect(checkEntityTree(entity({ spec: { a: [1, 'x', { b: null }], c: { d: true } } }))).toEqual({
      problems: [],
      tooDeep: false,
    });
  });

  it('finds keys that differ only in case, however they are nested', () => {
    const { problems } = checkEntityTree(
      entity({
        spec: { owner: 'a', Owner: 'b', list: [{ key: 1 }, { KEY: 2 }], nested: { deep: { X: 1, x: 2 } } },
      }),
    );
    expect(problems).toEqual([
      { path: 'spec.Owner', message: 'differs only in case from "spec.owner"' },
      { path: 'spec.list.KEY', message: 'differs only in case from "spec.list.key"' },
      { path: 'spec.nested.deep.x', message: 'differs only in case from "spec.nested.deep.X"' },
    ]);
  });

  it('treats string array items as keys, as the filter index does', () => {
    expect(checkEntityTree(entity({ spec: { tags: ['Java', 'java'] } })).problems).toEqual([]);
    expect(checkEntityTree(entity({ spec: { x: ['A'], 'x.a': 1 } })).problems).toEqual([
      { path: 'spec.x.a', message: 'differs only in case from "spec.x.A"' },
    ]);
  });

  it('leaves out what the index leaves out, and checks relation types', () => {
    expect(checkEntityTree(entity({ status: { a: 1, A: 2 } })).problems).toEqual([]);
    expect(
      checkEntityTree(
        entity({
          relations: [
            { type: 'ownedBy', targetRef: 'a' },
            { type: 'ownedby', targetRef: 'b' },
          ],
        }),
      ).problems,
    ).toEqual([{ path: 'relations.ownedby', message: 'differs only in case from "relations.ownedBy"' }]);
  });

  it('catches a metadata key colliding with name or namespace', () => {
    const { problems } = checkEntityTree({ ...entity({}), metadata: { name: 'n', Namespace: 'x' } });
    expect(problems).toEqual([
      { path: 'metadata.Namespace', message: 'differs only in case from "metadata.namespace"' },
    ]);
  });

  it('stops at the depth limit', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 50; i++) deep = [deep];
    expect(checkEntityTree(entity({ spec: { deep } }), 20)).toEqual({
      problems: [{ path: `spec.deep${'.0'.repeat(18)}`, message: 'is nested deeper than 20 levels' }],
      tooDeep: true,
    });
    expect(checkEntityTree(entity({ spec: { deep } }), 60).tooDeep).toBe(false);
  });

  it('handles wide entities without recursion', () => {
    const wide = Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`k${i}`, i]));
    expect(checkEntityTree(entity({ spec: wide })).problems).toEqual([]);
  });

  it('refuses __proto__ keys and values JSON cannot carry', () => {
    const spec = JSON.parse('{"__proto__": {"x": 1}}') as Record<string, unknown>;
    spec.when = new Date(0);
    spec.n = -Infinity;
    expect(checkEntityTree(entity({ spec })).problems).toEqual([
      { path: 'spec.__proto__', message: 'is not an allowed key' },
      { path: 'spec.when', message: 'is not a plain JSON object' },
      { path: 'spec.n', message: '-Infinity is not a JSON number' },
    ]);
  });
});
