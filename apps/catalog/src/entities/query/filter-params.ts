import { InputError } from '@portal/platform';
import { parsePredicate, type FilterPredicate, type FilterPredicateExpression } from './filter-predicate.js';

/** A query-string parameter as Express hands it over: absent, once, or repeated. */
export type QueryParam = string | readonly string[] | undefined;

/** The values of a repeatable string parameter; anything else (e.g. a nested object) is refused. */
export function stringsParam(value: unknown, name: string): string[] | undefined {
  if (value === undefined) return undefined;
  const values = Array.isArray(value) ? (value as unknown[]) : [value];
  if (values.some((v) => typeof v !== 'string')) throw new InputError(`Invalid ${name}, not a string`);
  return values as string[];
}

/**
 * One `filter=` parameter: comma-separated conditions, AND'ed. `key=value` is an equality, a bare
 * `key` an existence test, and a key repeated inside the set means OR over its values. Split on the
 * first `=`, both sides trimmed. Returns undefined for a set with no conditions.
 */
export function parseFilterSet(filter: string): FilterPredicate | undefined {
  const statements = filter
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!statements.length) return undefined;

  const byKey = new Map<string, string[] | undefined>();
  for (const statement of statements) {
    const equals = statement.indexOf('=');
    const key = (equals === -1 ? statement : statement.slice(0, equals)).trim();
    if (!key) {
      throw new InputError(
        `Invalid filter, '${statement}' is not a valid statement (expected a string on the form a=b or a= or a)`,
      );
    }
    const values = byKey.get(key);
    if (equals === -1) {
      if (!byKey.has(key)) byKey.set(key, undefined);
      continue;
    }
    const value = statement.slice(equals + 1).trim();
    if (values) values.push(value);
    else byKey.set(key, [value]);
  }

  const conditions: FilterPredicateExpression[] = [...byKey].map(([key, values]) => {
    const condition: FilterPredicateExpression = {};
    // defineProperty: a key spelled `__proto__` is a path like any other.
    const matcher = !values ? { $exists: true } : values.length === 1 ? values[0]! : { $in: values };
    Object.defineProperty(condition, key, {
      value: matcher,
      enumerable: true,
      writable: true,
      configurable: true,
    });
    return condition;
  });
  return conditions.length === 1 ? conditions[0] : { $all: conditions };
}

/**
 * The repeatable `filter` parameter of GET /entities, /entities/by-query and /entity-facets as a
 * FilterPredicate: sets OR'ed, conditions inside a set AND'ed (see {@link parseFilterSet}).
 * Matching is case-insensitive, as everywhere in the flattened view. Undefined when no set has a
 * condition. Bounded like a POST predicate.
 */
export function parseFilterParams(param: unknown): FilterPredicate | undefined {
  const sets = stringsParam(param, 'filter');
  if (!sets) return undefined;
  const predicates = sets.map(parseFilterSet).filter((p): p is FilterPredicate => p !== undefined);
  if (!predicates.length) return undefined;
  const predicate = predicates.length === 1 ? predicates[0]! : { $any: predicates };
  return parsePredicate(predicate, 'filter');
}
