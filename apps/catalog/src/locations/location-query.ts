// POST /locations/by-query: Backstage's location filter predicates and cursors.
import { InputError } from '@portal/platform';
import type { RegisteredLocation } from '../ingestion/database-location-provider.js';
import { requireObject } from './location-input.js';

/** A FilterPredicate over a location's `id`, `type`, `target` and `entityRef`. */
export type LocationPredicate =
  | { $all: LocationPredicate[] }
  | { $any: LocationPredicate[] }
  | { $not: LocationPredicate }
  | Record<string, LocationValueMatcher>;

type Primitive = string | number | boolean;
export type LocationValueMatcher =
  Primitive | { $exists: boolean } | { $in: Primitive[] } | { $hasPrefix: string } | { $contains: unknown };

export interface LocationQuery {
  limit: number;
  afterId?: string;
  query?: LocationPredicate;
}

export const DEFAULT_LOCATION_QUERY_LIMIT = 1000;
const MAX_LIMIT = 10_000;
const MAX_DEPTH = 32;
/** Items of one `$in`, `$all` or `$any` at most. */
const MAX_ITEMS = 1000;
const FIELDS: Record<string, keyof RegisteredLocation> = {
  id: 'id',
  type: 'type',
  target: 'target',
  entityref: 'entityRef',
};

const isPrimitive = (value: unknown): value is Primitive =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

function parseMatcher(value: unknown, path: string): LocationValueMatcher {
  if (isPrimitive(value)) return value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError(`Invalid query at ${path}: expected a value or a matcher object`);
  }
  const entries = Object.entries(value);
  if (entries.length !== 1) throw new InputError(`Invalid query at ${path}: a matcher has exactly one key`);
  const [op, operand] = entries[0]!;
  switch (op) {
    case '$exists':
      if (typeof operand !== 'boolean')
        throw new InputError(`Invalid query at ${path}.$exists: expected a boolean`);
      return { $exists: operand };
    case '$in':
      if (!Array.isArray(operand) || !operand.every(isPrimitive)) {
        throw new InputError(`Invalid query at ${path}.$in: expected an array of values`);
      }
      if (operand.length > MAX_ITEMS)
        throw new InputError(`Invalid query at ${path}.$in: more than ${MAX_ITEMS} values`);
      return { $in: operand };
    case '$hasPrefix':
      if (typeof operand !== 'string')
        throw new InputError(`Invalid query at ${path}.$hasPrefix: expected a string`);
      return { $hasPrefix: operand };
    case '$contains':
      return { $contains: operand };
    default:
      throw new InputError(`Invalid query at ${path}: unknown matcher '${op}'`);
  }
}

/** Validates a predicate; unknown fields and operators are InputErrors naming where they are. */
export function parseLocationPredicate(value: unknown, path = 'query', depth = 0): LocationPredicate {
  if (depth > MAX_DEPTH) throw new InputError(`Invalid query: nested deeper than ${MAX_DEPTH} levels`);
  const object = requireObject(value, path);
  if ('$all' in object || '$any' in object) {
    const op = '$all' in object ? '$all' : '$any';
    if (Object.keys(object).length !== 1)
      throw new InputError(`Invalid query at ${path}: ${op} stands alone`);
    const list = object[op];
    if (!Array.isArray(list)) throw new InputError(`Invalid query at ${path}.${op}: expected an array`);
    if (list.length > MAX_ITEMS)
      throw new InputError(`Invalid query at ${path}.${op}: more than ${MAX_ITEMS} items`);
    const parsed = list.map((item, i) => parseLocationPredicate(item, `${path}.${op}[${i}]`, depth + 1));
    return op === '$all' ? { $all: parsed } : { $any: parsed };
  }
  if ('$not' in object) {
    if (Object.keys(object).length !== 1) throw new InputError(`Invalid query at ${path}: $not stands alone`);
    return { $not: parseLocationPredicate(object.$not, `${path}.$not`, depth + 1) };
  }
  const result: Record<string, LocationValueMatcher> = {};
  for (const [key, matcher] of Object.entries(object)) {
    if (key.startsWith('$')) throw new InputError(`Invalid query at ${path}: unknown operator '${key}'`);
    if (!(key.toLowerCase() in FIELDS)) {
      throw new InputError(
        `Invalid query at ${path}: expected key to be 'id', 'type', 'target', or 'entityRef', got '${key}'`,
      );
    }
    result[key] = parseMatcher(matcher, `${path}.${key}`);
  }
  return result;
}

const upper = (value: Primitive) => String(value).toUpperCase();

function matchesValue(actual: string, matcher: LocationValueMatcher): boolean {
  if (isPrimitive(matcher)) return upper(actual) === upper(matcher);
  if ('$exists' in matcher) return matcher.$exists; // every field always has a value
  if ('$in' in matcher) return matcher.$in.some((v) => upper(v) === upper(actual));
  if ('$hasPrefix' in matcher) return upper(actual).startsWith(upper(matcher.$hasPrefix));
  return false; // $contains: no location field is an array
}

/**
 * Whether a location matches, case-insensitively as Backstage compares (UPPER on both sides).
 * An empty `$all` or `$any` matches nothing, as in Backstage.
 */
export function matchesLocation(location: RegisteredLocation, predicate: LocationPredicate): boolean {
  if ('$all' in predicate && Array.isArray(predicate.$all)) {
    const all = predicate.$all as LocationPredicate[];
    return all.length > 0 && all.every((p) => matchesLocation(location, p));
  }
  if ('$any' in predicate && Array.isArray(predicate.$any)) {
    return (predicate.$any as LocationPredicate[]).some((p) => matchesLocation(location, p));
  }
  if ('$not' in predicate && typeof predicate.$not === 'object' && !Array.isArray(predicate.$not)) {
    return !matchesLocation(location, predicate.$not as LocationPredicate);
  }
  return Object.entries(predicate as Record<string, LocationValueMatcher>).every(([key, matcher]) =>
    matchesValue(location[FIELDS[key.toLowerCase()]!], matcher),
  );
}

export function encodeLocationCursor(cursor: LocationQuery): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64');
}

function parseLimit(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new InputError(`${name} must be a positive integer >= 1`);
  }
  if (value > MAX_LIMIT) throw new InputError(`${name} must be at most ${MAX_LIMIT}`);
  return value;
}

/** The body of POST /locations/by-query: `{limit?, query?}` or `{cursor}`. */
export function parseLocationQueryRequest(value: unknown): LocationQuery {
  const body = requireObject(value ?? {}, 'Request body');
  const unknown = Object.keys(body).filter((key) => !['cursor', 'limit', 'query'].includes(key));
  if (unknown.length)
    throw new InputError(`Request body has unknown key '${unknown[0]}'; allowed are cursor, limit, query`);
  if (body.cursor !== undefined) {
    if (typeof body.cursor !== 'string' || !body.cursor) throw new InputError('Cursor cannot be empty');
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(body.cursor, 'base64').toString('utf8'));
    } catch {
      throw new InputError('Malformed cursor, unknown encoding');
    }
    const cursor = requireObject(parsed, 'Malformed cursor:');
    if (cursor.afterId !== undefined && typeof cursor.afterId !== 'string') {
      throw new InputError('Malformed cursor: afterId must be a string');
    }
    return {
      limit: parseLimit(cursor.limit, 'Malformed cursor: limit'),
      ...(cursor.afterId !== undefined ? { afterId: cursor.afterId as string } : {}),
      ...(cursor.query !== undefined ? { query: parseLocationPredicate(cursor.query, 'cursor.query') } : {}),
    };
  }
  return {
    limit: body.limit === undefined ? DEFAULT_LOCATION_QUERY_LIMIT : parseLimit(body.limit, 'limit'),
    ...(body.query !== undefined ? { query: parseLocationPredicate(body.query) } : {}),
  };
}

/** One page: ordered by id, after the cursor's id, with the total of all matches. */
export function pageLocations(
  all: RegisteredLocation[],
  request: LocationQuery,
): { items: RegisteredLocation[]; totalItems: number; pageInfo: { nextCursor?: string } } {
  const matching = (request.query ? all.filter((l) => matchesLocation(l, request.query!)) : all).sort(
    (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const after = request.afterId;
  const rest = after === undefined ? matching : matching.filter((l) => l.id > after);
  const items = rest.slice(0, request.limit);
  const more = rest.length > items.length;
  return {
    items,
    totalItems: matching.length,
    pageInfo: more
      ? {
          nextCursor: encodeLocationCursor({
            limit: request.limit,
            afterId: items.at(-1)!.id,
            query: request.query,
          }),
        }
      : {},
  };
}
