import type { Entity } from '@portal/catalog-model';
import { InputError } from '@portal/platform';
import { buildSearchColumns, buildSearchDocument } from './search-document.js';

const base = (overrides: Partial<Entity> & { metadata?: Partial<Entity['metadata']> } = {}): Entity =>
  ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    ...overrides,
    metadata: { name: 'Petstore', ...overrides.metadata },
  }) as Entity;

describe('buildSearchDocument', () => {
  it('lowercases paths and values and fills in the identity keys', () => {
    const doc = buildSearchDocument(
      base({ metadata: { name: 'Petstore', uid: 'ABC-1', title: 'Pet Store' }, spec: { Type: 'Service' } }),
    );
    expect(doc).toEqual({
      apiversion: ['backstage.io/v1alpha1'],
      kind: ['component'],
      'metadata.title': ['pet store'],
      'spec.type': ['service'],
      'metadata.name': ['petstore'],
      'metadata.namespace': ['default'],
      'metadata.uid': ['abc-1'],
    });
  });

  it('keeps an explicit namespace and does not add the default one', () => {
    const doc = buildSearchDocument(base({ metadata: { name: 'x', namespace: 'Platform' } }));
    expect(doc['metadata.namespace']).toEqual(['platform']);
  });

  it('traverses arrays and adds <path>.<item> = true for string items, once per spelling', () => {
    const doc = buildSearchDocument(
      base({
        metadata: { name: 'x', tags: ['java', 'Java', 'go'] },
        spec: { ports: [80, 443], flags: [true], nested: [['a'], { k: 'V' }] },
      }),
    );
    expect(doc['metadata.tags']).toEqual(['java', 'go']);
    expect(doc['metadata.tags.java']).toEqual(['true']);
    expect(doc['metadata.tags.go']).toEqual(['true']);
    expect(doc['spec.ports']).toEqual(['80', '443']);
    expect(doc['spec.ports.80']).toBeUndefined();
    expect(doc['spec.flags']).toEqual(['true']);
    expect(doc['spec.nested']).toEqual(['a']);
    expect(doc['spec.nested.a']).toEqual(['true']);
    expect(doc['spec.nested.k']).toEqual(['v']);
  });

  it('walks arrays of objects (links) into their fields', () => {
    const doc = buildSearchDocument(
      base({
        metadata: { name: 'x', links: [{ url: 'https://A.example', title: 'Docs' }, { url: 'https://b' }] },
      }),
    );
    expect(doc['metadata.links.url']).toEqual(['https://a.example', 'https://b']);
    expect(doc['metadata.links.title']).toEqual(['docs']);
  });

  it('writes relations as relations.<type> = targetRef and skips relations, status, attachments, etag', () => {
    const entity = {
      ...base({ metadata: { name: 'x', etag: 'E1' } }),
      relations: [
        { type: 'ownedBy', targetRef: 'group:default/Team-A' },
        { type: 'ownedBy', targetRef: 'group:default/team-a' },
        { type: 'partOf', targetRef: 'system:default/s' },
      ],
      status: { items: [{ type: 't', level: 'error', message: 'm' }] },
      attachments: [{ a: 1 }],
    } as Entity;
    const doc = buildSearchDocument(entity);
    expect(doc['relations.ownedby']).toEqual(['group:default/team-a']);
    expect(doc['relations.partof']).toEqual(['system:default/s']);
    expect(
      Object.keys(doc).filter((k) => /^(status|attachments|metadata\.etag|relations\.type)/.test(k)),
    ).toEqual([]);
  });

  it('keeps null and over-long values as "present, without a value", and drops over-long keys', () => {
    const doc = buildSearchDocument(
      base({
        metadata: { name: 'x', description: 'd'.repeat(201), title: 'y'.repeat(200) },
        spec: { owner: null, ['k'.repeat(195)]: 'kept', ['q'.repeat(196)]: 'dropped' },
      }),
    );
    expect(doc['metadata.description']).toEqual([]);
    expect(doc['metadata.title']).toEqual(['y'.repeat(200)]);
    expect(doc['spec.owner']).toEqual([]);
    expect(doc[`spec.${'k'.repeat(195)}`]).toEqual(['kept']); // 200 characters
    expect(Object.keys(doc).some((k) => k.startsWith('spec.qqq'))).toBe(false); // 201
  });

  it('writes numbers and booleans as strings, and leaves empty arrays and objects out', () => {
    const doc = buildSearchDocument(
      base({ spec: { replicas: 3, ratio: 0.5, enabled: false, list: [], obj: {} } }),
    );
    expect(doc['spec.replicas']).toEqual(['3']);
    expect(doc['spec.ratio']).toEqual(['0.5']);
    expect(doc['spec.enabled']).toEqual(['false']);
    expect(doc['spec.list']).toBeUndefined();
    expect(doc['spec.obj']).toBeUndefined();
  });

  it('refuses paths that differ only in case, naming them', () => {
    const entity = base({ metadata: { name: 'x', annotations: { Foo: 'a', foo: 'b' } } });
    expect(() => buildSearchDocument(entity)).toThrow(InputError);
    expect(() => buildSearchDocument(entity)).toThrow(/'metadata\.annotations\.foo'/);
  });

  it('keeps a key called __proto__ as data', () => {
    const entity = base({ spec: JSON.parse('{"__proto__": {"polluted": "yes"}}') });
    const doc = buildSearchDocument(entity);
    expect(doc['spec.__proto__.polluted']).toEqual(['yes']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(doc)).toBe(Object.prototype);
  });
});

describe('buildSearchColumns originals', () => {
  it('records the original spelling of values whose case differs, the first one winning', () => {
    const { originals } = buildSearchColumns(
      base({
        metadata: { name: 'Petstore', title: 'Pet Store', tags: ['java'] },
        spec: { type: 'Service', aliases: ['Foo', 'FOO', 'bar'] },
      }),
    );
    expect(originals).toEqual({
      kind: { component: 'Component' },
      'metadata.title': { 'pet store': 'Pet Store' },
      'spec.type': { service: 'Service' },
      'spec.aliases': { foo: 'Foo' },
      'metadata.name': { petstore: 'Petstore' },
    });
  });
});
