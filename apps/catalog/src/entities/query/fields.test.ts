import { InputError } from '@portal/platform';
import { createFieldsProjection, parseFields, projectFields } from './fields.js';

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'petstore',
    annotations: { 'backstage.io/techdocs-ref': 'dir:.', 'github.com/project-slug': 'acme/petstore' },
    tags: ['java', 'spring'],
  },
  spec: { type: 'service', profile: { 'display.name': { first: 'Pet' } } },
};

describe('parseFields', () => {
  it('splits commas, trims, de-duplicates and merges repeats and several sources', () => {
    expect(parseFields('kind, metadata.name,,kind')).toEqual(['kind', 'metadata.name']);
    expect(parseFields(['kind', 'spec.type,kind'], ['metadata.uid'])).toEqual([
      'kind',
      'spec.type',
      'metadata.uid',
    ]);
    expect(parseFields(undefined)).toBeUndefined();
    expect(parseFields(' , ')).toBeUndefined();
  });

  it('refuses array syntax and non-strings', () => {
    expect(() => parseFields('metadata.tags[0]')).toThrow(InputError);
    expect(() => parseFields('metadata.tags[0]')).toThrow(
      'Invalid field "metadata.tags[0]", array type fields are not supported',
    );
    expect(() => parseFields([1])).toThrow('Invalid fields, not a string');
  });
});

describe('projection', () => {
  it('keeps only the given paths', () => {
    expect(projectFields(entity, ['kind', 'metadata.name'])).toEqual({
      kind: 'Component',
      metadata: { name: 'petstore' },
    });
  });

  it('merges segments that are not keys with the next one (annotation keys with dots)', () => {
    expect(projectFields(entity, ['metadata.annotations.backstage.io/techdocs-ref'])).toEqual({
      metadata: { annotations: { 'backstage.io/techdocs-ref': 'dir:.' } },
    });
    expect(projectFields(entity, ['spec.profile.display.name.first'])).toEqual({
      spec: { profile: { 'display.name': { first: 'Pet' } } },
    });
  });

  it('keeps whole subtrees and array items by index', () => {
    expect(projectFields(entity, ['metadata.tags', 'spec'])).toEqual({
      metadata: { tags: ['java', 'spring'] },
      spec: entity.spec,
    });
    expect(projectFields(entity, ['metadata.tags.1'])).toEqual({ metadata: { tags: [undefined, 'spring'] } });
  });

  it('leaves out paths that do not exist, and never follows the prototype chain', () => {
    expect(
      projectFields(entity, ['metadata.title', 'spec.nothing.here', 'constructor', 'metadata.toString']),
    ).toEqual({});
  });

  it('returns the entity itself without fields', () => {
    expect(projectFields(entity, undefined)).toBe(entity);
  });

  it('never assigns through __proto__', () => {
    const hostile = JSON.parse('{"__proto__": {"polluted": "yes"}, "kind": "K"}');
    const out = createFieldsProjection(['__proto__.polluted', 'kind'])(hostile) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__', 'kind']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
