import { KindDefinitionError, KindRegistry } from './kind-registry.js';

const service = {
  apiVersion: ['example.com/v1', 'example.com/v2'],
  kind: 'Service',
  specSchema: {
    type: 'object',
    required: ['owner'],
    properties: { owner: { type: 'string', minLength: 1 } },
  },
  relations: [{ field: 'spec.owner', type: 'ownedBy', inverse: 'ownerOf', defaultKind: 'Group' }],
};

function refusal(run: () => unknown): KindDefinitionError {
  try {
    run();
  } catch (error) {
    if (error instanceof KindDefinitionError) return error;
    throw error;
  }
  throw new Error('expected a KindDefinitionError');
}

describe('KindRegistry', () => {
  it('holds the nine built-in kinds', () => {
    const kinds = new KindRegistry();
    expect(kinds.list().map((k) => k.definition.kind)).toEqual([
      'Component',
      'API',
      'Resource',
      'System',
      'Domain',
      'Group',
      'User',
      'Location',
      'Template',
    ]);
    expect(kinds.list().every((k) => k.builtin)).toBe(true);
  });

  it('can start empty', () => {
    expect(new KindRegistry({ builtins: false }).list()).toEqual([]);
  });

  it('finds kinds by exact name, or in any case', () => {
    const kinds = new KindRegistry();
    expect(kinds.get('Component')?.definition.kind).toBe('Component');
    expect(kinds.get('component')).toBeUndefined();
    expect(kinds.find('component')?.definition.kind).toBe('Component');
    expect(kinds.find('nothing')).toBeUndefined();
  });

  it('registers a custom kind and validates specs with its compiled schema', () => {
    const kinds = new KindRegistry();
    const registered = kinds.register(service);
    expect(registered.builtin).toBe(false);
    expect(registered.definition.apiVersion).toEqual(['example.com/v1', 'example.com/v2']);
    expect(kinds.get('Service')).toBe(registered);
    expect(registered.validateSpec({ owner: 'a' })).toEqual([]);
    expect(registered.validateSpec({ owner: '' })).toEqual([
      { path: 'spec.owner', message: 'must NOT have fewer than 1 characters' },
    ]);
  });

  it('replaces a custom kind registered again under the same name', () => {
    const kinds = new KindRegistry();
    kinds.register(service);
    kinds.register({ ...service, specSchema: { type: 'object' } });
    expect(kinds.get('Service')?.validateSpec({})).toEqual([]);
    expect(kinds.list()).toHaveLength(10);
  });

  it('refuses a kind whose name clashes with a built-in kind, in any case', () => {
    const kinds = new KindRegistry();
    for (const kind of ['Component', 'component', 'API', 'Api', 'TEMPLATE']) {
      const error = refusal(() => kinds.register({ ...service, kind }));
      expect(error.conflict).toBe(true);
      expect(error.message).toMatch(/built-in kind/);
    }
    expect(kinds.get('Component')?.builtin).toBe(true);
  });

  it('refuses a kind differing only in case from a custom kind', () => {
    const kinds = new KindRegistry();
    kinds.register(service);
    const error = refusal(() => kinds.register({ ...service, kind: 'SERVICE' }));
    expect(error.conflict).toBe(true);
    expect(error.message).toBe('Kind "SERVICE" clashes with the kind "Service"');
  });

  it('refuses an invalid definition with every problem named', () => {
    const kinds = new KindRegistry();
    const error = refusal(() =>
      kinds.register({
        ...service,
        relations: [{ field: 'spec.owner', type: 'owned by', inverse: 'ownerOf' }],
      }),
    );
    expect(error.conflict).toBe(false);
    expect(error.problems).toEqual([{ path: 'relations.0.type', message: 'must match pattern "^\\w+$"' }]);
    expect(error.message).toContain('relations.0.type');
    expect(kinds.get('Service')).toBeUndefined();
  });

  it('refuses a schema with a remote reference', () => {
    const error = refusal(() =>
      new KindRegistry().register({ ...service, specSchema: { $ref: 'https://example.com/schema.json' } }),
    );
    expect(error.problems[0].path).toBe('specSchema.$ref');
  });

  it('removes custom kinds but never built-in ones', () => {
    const kinds = new KindRegistry();
    kinds.register(service);
    expect(kinds.unregister('service')).toBe(true);
    expect(kinds.get('Service')).toBeUndefined();
    expect(kinds.unregister('Service')).toBe(false);
    expect(refusal(() => kinds.unregister('group')).conflict).toBe(true);
    expect(kinds.get('Group')).toBeDefined();
  });

  it('checks a definition as register does without changing the registry', () => {
    const kinds = new KindRegistry();
    const checked = kinds.check(service);
    expect(checked.definition.kind).toBe('Service');
    expect(checked.validateSpec({})).toEqual([{ path: 'spec.owner', message: 'is required' }]);
    expect(kinds.get('Service')).toBeUndefined();
    expect(refusal(() => kinds.check({ ...service, kind: 'Group' })).conflict).toBe(true);
    expect(refusal(() => kinds.check({ ...service, specSchema: 'no' })).conflict).toBe(false);
    kinds.register(service);
    expect(refusal(() => kinds.check({ ...service, kind: 'SERVICE' })).message).toMatch(/clashes/);
    expect(kinds.check({ ...service, specSchema: { type: 'object' } }).validateSpec({})).toEqual([]);
    expect(kinds.get('Service')?.validateSpec({})).toHaveLength(1);
  });

  it('keeps registries apart', () => {
    const a = new KindRegistry();
    const b = new KindRegistry();
    a.register(service);
    expect(b.get('Service')).toBeUndefined();
  });
});
