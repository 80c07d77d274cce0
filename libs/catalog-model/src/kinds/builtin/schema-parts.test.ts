import { BACKSTAGE_API_VERSIONS, objectSchema, profile, text, textList } from './schema-parts.js';

describe('schema parts', () => {
  it('describe non-empty strings and lists of them', () => {
    expect(text).toEqual({ type: 'string', minLength: 1 });
    expect(textList).toEqual({ type: 'array', items: text });
    expect(profile.properties).toEqual({ displayName: text, email: text, picture: text });
  });

  it('builds object schemas', () => {
    expect(objectSchema(['a'], { a: text })).toEqual({
      type: 'object',
      required: ['a'],
      properties: { a: text },
    });
  });

  it('lists the backstage.io apiVersions', () => {
    expect(BACKSTAGE_API_VERSIONS).toEqual(['backstage.io/v1alpha1', 'backstage.io/v1beta1']);
  });
});
