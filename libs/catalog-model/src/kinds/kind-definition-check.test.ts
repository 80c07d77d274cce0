import { checkKindDefinition } from './kind-definition-check.js';

const valid = {
  apiVersion: 'example.com/v1',
  kind: 'Service',
  specSchema: { type: 'object', required: ['owner'], properties: { owner: { type: 'string' } } },
  relations: [{ field: 'spec.owner', type: 'ownedBy', inverse: 'ownerOf', defaultKind: 'Group' }],
};

function paths(input: unknown): string[] {
  return checkKindDefinition(input).problems.map((p) => p.path);
}

describe('checkKindDefinition', () => {
  it('normalises a valid definition and compiles its schema', () => {
    const { definition, validateSpec, problems } = checkKindDefinition({
      ...valid,
      apiVersion: ['a.io/v1', 'a.io/v1', 'v2'],
    });
    expect(problems).toEqual([]);
    expect(definition?.apiVersion).toEqual(['a.io/v1', 'v2']);
    expect(validateSpec?.({ owner: 'x' })).toEqual([]);
    expect(validateSpec?.({}, 'spec')).toEqual([{ path: 'spec.owner', message: 'is required' }]);
  });

  it('copies the schema, so later changes to the input do not leak in', () => {
    const input = structuredClone(valid);
    const { definition } = checkKindDefinition(input);
    (input.specSchema.properties.owner as Record<string, unknown>).type = 'number';
    expect(definition?.specSchema).toEqual(valid.specSchema);
  });

  it('defaults relations to none', () => {
    const { definition } = checkKindDefinition({ apiVersion: 'v1', kind: 'Thing', specSchema: {} });
    expect(definition?.relations).toEqual([]);
  });

  it.each([
    [null, ['']],
    ['kind', ['']],
    [{}, ['apiVersion', 'kind', 'specSchema']],
    [{ ...valid, extra: 1 }, ['extra']],
    [{ ...valid, apiVersion: [] }, ['apiVersion']],
    [{ ...valid, apiVersion: 'not a version' }, ['apiVersion']],
    [{ ...valid, apiVersion: ['v1', 'a/b/c'] }, ['apiVersion.1']],
    [{ ...valid, kind: 'my-kind' }, ['kind']],
    [{ ...valid, kind: 'K'.repeat(64) }, ['kind']],
    [{ ...valid, specSchema: 'x' }, ['specSchema']],
    [
      { ...valid, relations: [{ field: 'owner', type: 'ownedBy', inverse: 'ownerOf' }] },
      ['relations.0.field'],
    ],
    [
      { ...valid, relations: [{ field: 'spec.', type: 'ownedBy', inverse: 'ownerOf' }] },
      ['relations.0.field'],
    ],
    [
      { ...valid, relations: [{ field: 'spec.a..b', type: 'ownedBy', inverse: 'ownerOf' }] },
      ['relations.0.field'],
    ],
    [
      { ...valid, relations: [{ field: 'spec.a', type: 'owned-by', inverse: 'ownerOf' }] },
      ['relations.0.type'],
    ],
    [
      { ...valid, relations: [{ field: 'spec.a', type: 'ownedBy', inverse: 'owner of' }] },
      ['relations.0.inverse'],
    ],
    [{ ...valid, relations: [{ field: 'spec.a', type: 'ownedBy' }] }, ['relations.0.inverse']],
    [
      { ...valid, relations: [{ field: 'spec.a', type: 'a', inverse: 'b', defaultKind: 'not-a-kind' }] },
      ['relations.0.defaultKind'],
    ],
    [
      { ...valid, relations: [{ field: 'spec.a', type: 'a', inverse: 'b', extra: true }] },
      ['relations.0.extra'],
    ],
    [{ ...valid, relations: Array.from({ length: 101 }, () => valid.relations[0]) }, ['relations']],
  ])('refuses %j at %j', (input, expected) => {
    expect(paths(input)).toEqual(expected);
  });

  it('refuses schemas that do not compile', () => {
    const { problems } = checkKindDefinition({ ...valid, specSchema: { type: 'strnig' } });
    expect(problems).toEqual([{ path: 'specSchema', message: expect.stringMatching(/^does not compile/) }]);
    expect(paths({ ...valid, specSchema: { $ref: '#/definitions/missing' } })).toEqual(['specSchema']);
  });

  it('refuses unsafe schemas before compiling them', () => {
    expect(paths({ ...valid, specSchema: { $ref: 'https://evil.example.com/s.json' } })).toEqual([
      'specSchema.$ref',
    ]);
  });
});
