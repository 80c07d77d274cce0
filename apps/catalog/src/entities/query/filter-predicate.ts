import { InputError } from '@portal/platform';

/**
 * Backstage's filter predicate language (`@backstage/filter-predicates`), as the catalog accepts it
 * in POST bodies and keeps it in cursors: a root object whose keys are dotted paths (matched
 * case-insensitively against the flattened entity) or one of the combinators `$all`, `$any`, `$not`.
 */
export type FilterPredicatePrimitive = string | number | boolean;

export type FilterPredicateValue =
  | FilterPredicatePrimitive
  | { $exists: boolean }
  | { $in: FilterPredicatePrimitive[] }
  | { $hasPrefix: string }
  | { $contains: FilterPredicatePrimitive | FilterPredicateExpression };

/** `{ "<path>": <value matcher>, ... }`: every entry must hold. */
export type FilterPredicateExpression = { [path: string]: FilterPredicateValue };

export type FilterPredicate =
  | FilterPredicateExpression
  | { $all: FilterPredicate[] }
  | { $any: FilterPredicate[] }
  | { $not: FilterPredicate };

/** Bounds on what a caller may send; a predicate beyond them is refused before it reaches SQL. */
export const PREDICATE_LIMITS = {
  /** Nesting of `$all`/`$any`/`$not`/`$contains`. */
  maxDepth: 10,
  /** Combinators, path conditions and `$in` values, all together. */
  maxClauses: 1000,
  /** Characters in one path or one value. */
  maxStringLength: 1024,
} as const;

const COMBINATORS = new Set(['$all', '$any', '$not']);
const MATCHERS = new Set(['$exists', '$in', '$hasPrefix', '$contains']);

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** `query.$all[1]["spec.type"].$in[0]`: where in the predicate a problem is. */
function at(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^\$?[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

class PredicateParser {
  private clauses = 0;

  constructor(private readonly root: string) {}

  private fail(path: string, problem: string): never {
    throw new InputError(`Invalid filter predicate at ${path}: ${problem}`);
  }

  private count(path: string): void {
    if (++this.clauses > PREDICATE_LIMITS.maxClauses) {
      this.fail(path, `more than ${PREDICATE_LIMITS.maxClauses} clauses`);
    }
  }

  private string(value: string, path: string): string {
    if (value.length > PREDICATE_LIMITS.maxStringLength) {
      this.fail(path, `longer than ${PREDICATE_LIMITS.maxStringLength} characters`);
    }
    return value;
  }

  private primitive(value: unknown, path: string): FilterPredicatePrimitive {
    if (typeof value === 'string') return this.string(value, path);
    if (typeof value === 'boolean') return value;
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    return this.fail(path, `expected a string, number or boolean, got ${describe(value)}`);
  }

  predicate(value: unknown, path: string, depth: number): FilterPredicate {
    if (depth > PREDICATE_LIMITS.maxDepth) {
      this.fail(path, `nested deeper than ${PREDICATE_LIMITS.maxDepth} levels`);
    }
    if (!isPlainObject(value)) {
      this.fail(path, `expected an object, got ${describe(value)}`);
    }
    const keys = Object.keys(value);
    const combinator = keys.find((k) => COMBINATORS.has(k));
    if (combinator !== undefined) {
      if (keys.length !== 1) {
        this.fail(path, `${combinator} must be the only key of its object; wrap it in $all to combine`);
      }
      this.count(path);
      const inner = value[combinator];
      const innerPath = at(path, combinator);
      if (combinator === '$not') return { $not: this.predicate(inner, innerPath, depth + 1) };
      if (!Array.isArray(inner)) this.fail(innerPath, `expected an array, got ${describe(inner)}`);
      const items = inner.map((item, i) => this.predicate(item, at(innerPath, i), depth + 1));
      return combinator === '$all' ? { $all: items } : { $any: items };
    }
    return this.expression(value, path, depth);
  }

  private expression(value: Record<string, unknown>, path: string, depth: number): FilterPredicateExpression {
    const entries: Array<[string, FilterPredicateValue]> = [];
    for (const [key, matcher] of Object.entries(value)) {
      const keyPath = at(path, key);
      if (key.startsWith('$')) this.fail(keyPath, `unknown operator '${key}'`);
      // eslint-disable-next-line no-control-regex
      if (/[\u0000-\u001f]/.test(key)) this.fail(keyPath, 'paths cannot contain control characters');
      this.string(key, keyPath);
      this.count(keyPath);
      entries.push([key, this.value(key, matcher, keyPath, depth)]);
    }
    // fromEntries defines own properties: a path named `__proto__` stays a path.
    return Object.fromEntries(entries);
  }

  private value(key: string, value: unknown, path: string, depth: number): FilterPredicateValue {
    if (!isPlainObject(value)) return this.primitive(value, path);
    const keys = Object.keys(value);
    if (keys.length !== 1) {
      this.fail(path, `expected exactly one of ${[...MATCHERS].join(', ')}, got ${keys.length} keys`);
    }
    const op = keys[0]!;
    const arg = value[op];
    const argPath = at(path, op);
    switch (op) {
      case '$exists':
        if (typeof arg !== 'boolean') this.fail(argPath, `expected a boolean, got ${describe(arg)}`);
        return { $exists: arg };
      case '$hasPrefix':
        if (typeof arg !== 'string') this.fail(argPath, `expected a string, got ${describe(arg)}`);
        return { $hasPrefix: this.string(arg, argPath) };
      case '$in': {
        if (!Array.isArray(arg)) this.fail(argPath, `expected an array, got ${describe(arg)}`);
        return {
          $in: arg.map((item, i) => {
            this.count(argPath);
            return this.primitive(item, at(argPath, i));
          }),
        };
      }
      case '$contains':
        return { $contains: this.contains(key, arg, argPath, depth + 1) };
      default:
        return this.fail(argPath, `unknown matcher '${op}', expected one of ${[...MATCHERS].join(', ')}`);
    }
  }

  /**
   * Array membership. The flattened view already spreads arrays, so a primitive means "one of the
   * values is"; the object form exists for `relations` only: `{ type, targetRef? }`, where
   * targetRef is a string or `{ $in: [strings] }`.
   */
  private contains(
    key: string,
    arg: unknown,
    path: string,
    depth: number,
  ): FilterPredicatePrimitive | FilterPredicateExpression {
    if (depth > PREDICATE_LIMITS.maxDepth) {
      this.fail(path, `nested deeper than ${PREDICATE_LIMITS.maxDepth} levels`);
    }
    if (!isPlainObject(arg)) return this.primitive(arg, path);
    if (key.toLowerCase() !== 'relations') {
      this.fail(path, `the object form of $contains is only supported for "relations", not "${key}"`);
    }
    let type: string | undefined;
    let targetRef: string | { $in: string[] } | undefined;
    for (const [rawKey, value] of Object.entries(arg)) {
      const valuePath = at(path, rawKey);
      const name = rawKey.toLowerCase();
      if (name === 'type') {
        if (type !== undefined) this.fail(valuePath, 'duplicate key');
        if (typeof value !== 'string' || !value) this.fail(valuePath, 'expected a non-empty string');
        type = this.string(value, valuePath);
      } else if (name === 'targetref') {
        if (targetRef !== undefined) this.fail(valuePath, 'duplicate key');
        targetRef = this.targetRef(value, valuePath);
      } else {
        this.fail(valuePath, `unsupported key "${rawKey}"; only "type" and "targetRef" are supported`);
      }
    }
    if (type === undefined) this.fail(path, 'the relations form of $contains requires a "type" string');
    this.count(path);
    return targetRef === undefined ? { type } : { type, targetRef };
  }

  private targetRef(value: unknown, path: string): string | { $in: string[] } {
    if (typeof value === 'string') return this.string(value, path);
    if (isPlainObject(value) && Object.keys(value).length === 1 && Array.isArray(value.$in)) {
      const refs = value.$in;
      if (refs.length === 0) this.fail(at(path, '$in'), 'must not be empty');
      return {
        $in: refs.map((ref, i) => {
          const refPath = at(at(path, '$in'), i);
          if (typeof ref !== 'string') this.fail(refPath, `expected a string, got ${describe(ref)}`);
          this.count(refPath);
          return this.string(ref, refPath);
        }),
      };
    }
    return this.fail(path, `expected a string or { "$in": [strings] }, got ${describe(value)}`);
  }
}

/**
 * Validates a predicate from an untrusted source (a POST body, a cursor) and returns a fresh copy
 * holding only what was checked. Every problem is an InputError naming where it is, relative to
 * `name` (e.g. `query.$all[1]["spec.type"].$in[0]`).
 */
export function parsePredicate(json: unknown, name = 'query'): FilterPredicate {
  return new PredicateParser(name).predicate(json, name, 1);
}

/** Both predicates must hold; either may be absent. */
export function andPredicates(
  ...predicates: Array<FilterPredicate | undefined>
): FilterPredicate | undefined {
  const present = predicates.filter((p): p is FilterPredicate => p !== undefined);
  if (present.length === 0) return undefined;
  return present.length === 1 ? present[0] : { $all: present };
}
