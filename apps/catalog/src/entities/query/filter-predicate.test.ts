import { InputError } from '@portal/platform';
import { andPredicates, parsePredicate, PREDICATE_LIMITS } from './filter-predicate.js';

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}

describe('parsePredicate', () => {
  it('accepts every operator and combinator of the language', () => {
    const predicate = {
      $all: [
        { kind: 'Component', 'spec.type': { $in: ['service', 'website', 7, true] } },
        { $any: [{ 'metadata.tags': { $contains: 'java' } }, { 'metadata.name': { $hasPrefix: 'pet' } }] },
        { $not: { 'metadata.annotations.backstage.io/orphan': { $exists: true } } },
        { relations: { $contains: { type: 'ownedBy', targetRef: { $in: ['group:default/a'] } } } },
        { relations: { $contains: { Type: 'partOf' } } },
        {},
      ],
    };
    const parsed = parsePredicate(predicate);
    // Only the key of the relations form is normalised (Backstage matches it case-insensitively).
    expect(parsed).toEqual({
      $all: [...predicate.$all.slice(0, 4), { relations: { $contains: { type: 'partOf' } } }, {}],
    });
  });

  it('returns a copy that keeps `__proto__` as a path', () => {
    const input = JSON.parse('{"__proto__": "x", "kind": "a"}');
    const parsed = parsePredicate(input) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['__proto__', 'kind']);
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(parsed).not.toBe(input);
  });

  it.each([
    [null, 'query', 'expected an object, got null'],
    ['kind', 'query', 'expected an object, got a string'],
    [[{ kind: 'a' }], 'query', 'expected an object, got an array'],
    [{ $all: { kind: 'a' } }, 'query.$all', 'expected an array'],
    [{ $all: [{ kind: 'a' }], kind: 'b' }, 'query', '$all must be the only key'],
    [{ $not: [] }, 'query.$not', 'expected an object, got an array'],
    [{ $any: [{ kind: null }] }, 'query.$any[0].kind', 'expected a string, number or boolean, got null'],
    [{ $foo: 1 }, 'query.$foo', "unknown operator '$foo'"],
    [{ kind: { $regex: 'a' } }, 'query.kind.$regex', "unknown matcher '$regex'"],
    [{ kind: { $in: 'a' } }, 'query.kind.$in', 'expected an array'],
    [{ 'spec.type': { $in: ['a', {}] } }, 'query["spec.type"].$in[1]', 'got an object'],
    [{ kind: { $exists: 'yes' } }, 'query.kind.$exists', 'expected a boolean'],
    [{ kind: { $hasPrefix: 1 } }, 'query.kind.$hasPrefix', 'expected a string'],
    [{ kind: { $exists: true, $in: [] } }, 'query.kind', 'exactly one of'],
    [{ kind: {} }, 'query.kind', 'exactly one of'],
    [{ kind: [] }, 'query.kind', 'got an array'],
    [
      { 'metadata.tags': { $contains: { a: 1 } } },
      'query["metadata.tags"].$contains',
      'only supported for "relations"',
    ],
    [{ relations: { $contains: { targetRef: 'x' } } }, 'query.relations.$contains', 'requires a "type"'],
    [
      { relations: { $contains: { type: 'a', other: 1 } } },
      'query.relations.$contains.other',
      'unsupported key',
    ],
    [
      { relations: { $contains: { type: 'a', targetRef: { $in: [] } } } },
      'query.relations.$contains.targetRef.$in',
      'must not be empty',
    ],
    [
      { relations: { $contains: { type: 'a', targetRef: 5 } } },
      'query.relations.$contains.targetRef',
      'expected a string or',
    ],
    [{ 'a\nb': 'x' }, 'query["a\\nb"]', 'control characters'],
  ])('refuses %j, naming %s', (input, where, problem) => {
    const err = errorOf(() => parsePredicate(input));
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toContain(`at ${where}:`);
    expect(err.message).toContain(problem);
  });

  it('bounds the nesting depth', () => {
    let deep: unknown = { kind: 'a' };
    for (let i = 0; i < PREDICATE_LIMITS.maxDepth - 1; i++) deep = { $not: deep };
    expect(() => parsePredicate(deep)).not.toThrow();
    expect(errorOf(() => parsePredicate({ $not: deep })).message).toMatch(/nested deeper than 10 levels/);
  });

  it('bounds the number of clauses, counting $in values', () => {
    const values = Array.from({ length: PREDICATE_LIMITS.maxClauses }, (_, i) => `v${i}`);
    expect(errorOf(() => parsePredicate({ kind: { $in: values } })).message).toMatch(
      /more than 1000 clauses/,
    );
    const many = {
      $any: Array.from({ length: PREDICATE_LIMITS.maxClauses }, (_, i) => ({ [`k${i}`]: 'v' })),
    };
    expect(errorOf(() => parsePredicate(many)).message).toMatch(/more than 1000 clauses/);
  });

  it('bounds the length of paths and values', () => {
    const long = 'x'.repeat(PREDICATE_LIMITS.maxStringLength + 1);
    expect(errorOf(() => parsePredicate({ kind: long })).message).toMatch(/at query.kind: longer than 1024/);
    expect(errorOf(() => parsePredicate({ [long]: 'a' })).message).toMatch(/longer than 1024/);
  });

  it('names the bad part relative to the given root', () => {
    expect(errorOf(() => parsePredicate({ kind: null }, 'cursor.query')).message).toContain(
      'at cursor.query.kind:',
    );
  });
});

describe('andPredicates', () => {
  it('combines the present predicates', () => {
    expect(andPredicates(undefined, undefined)).toBeUndefined();
    expect(andPredicates({ kind: 'a' }, undefined)).toEqual({ kind: 'a' });
    expect(andPredicates({ kind: 'a' }, { 'spec.type': 'b' })).toEqual({
      $all: [{ kind: 'a' }, { 'spec.type': 'b' }],
    });
  });
});
