import { hashOf, hashOfOrdered, sha1, stableStringify } from './stable-json.js';

describe('stableStringify', () => {
  it('sorts keys at every level and keeps array order', () => {
    expect(stableStringify({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('leaves out undefined members like JSON.stringify and writes undefined array items as null', () => {
    expect(stableStringify({ a: undefined, b: null, c: [undefined] })).toBe('{"b":null,"c":[null]}');
    expect(stableStringify(undefined)).toBe('null');
  });

  it('escapes keys and strings as JSON does', () => {
    const value = { 'we"ird\n': 'line\u2028"quote"' };
    expect(JSON.parse(stableStringify(value))).toEqual(value);
  });
});

describe('hashOf', () => {
  it('is the same for objects that differ only in key order', () => {
    expect(hashOf({ a: 1, b: [1, 2] })).toBe(hashOf({ b: [1, 2], a: 1 }));
    expect(hashOf({ a: 1 })).not.toBe(hashOf({ a: 2 }));
    expect(hashOf([1, 2])).not.toBe(hashOf([2, 1]));
  });

  it('is SHA-1 hex', () => {
    expect(sha1('url:https://example.com/catalog-info.yaml')).toMatch(/^[0-9a-f]{40}$/);
    expect(sha1('abc')).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
  });
});

describe('hashOfOrdered', () => {
  it('hashes the JSON as it is, key order included', () => {
    expect(hashOfOrdered({ a: 1, b: 2 })).toBe(sha1('{"a":1,"b":2}'));
    expect(hashOfOrdered({ a: 1, b: 2 })).not.toBe(hashOfOrdered({ b: 2, a: 1 }));
  });
});
