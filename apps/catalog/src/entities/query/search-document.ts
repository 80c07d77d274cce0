import type { Entity } from '@portal/catalog-model';
import { InputError } from '@portal/platform';

/**
 * The flattened, case-folded view of an entity that filters run against (the `search` column):
 * lowercased dotted path → the distinct lowercased values found there. A path whose values are all
 * null or too long is present with no values, so that it still "exists".
 */
export type SearchDocument = Record<string, string[]>;

/**
 * For each path, the original spelling of those values whose lowercase form differs from it (the
 * `search_original` column). Facets report original-case values, as Backstage does.
 */
export type SearchOriginals = Record<string, Record<string, string>>;

/** Paths Backstage leaves out of the generic walk; some are added back explicitly below. */
const SKIPPED_PATHS = new Set([
  'attachments',
  'relations',
  'status',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'metadata.etag',
]);

/** Longer keys are not indexed at all; longer values are indexed as "present, no value". */
export const MAX_SEARCH_KEY_LENGTH = 200;
export const MAX_SEARCH_VALUE_LENGTH = 200;

const DEFAULT_NAMESPACE = 'default';

type Leaf = string | number | boolean | null | undefined;

/** Walks the entity the way Backstage's stitcher does, emitting (path, leaf) pairs in order. */
function flatten(entity: Entity): Array<[string, Leaf]> {
  const out: Array<[string, Leaf]> = [];
  const seenItemKeys = new Set<string>();

  const visit = (path: string, current: unknown): void => {
    if (SKIPPED_PATHS.has(path)) return;
    if (
      current === undefined ||
      current === null ||
      typeof current === 'string' ||
      typeof current === 'number' ||
      typeof current === 'boolean'
    ) {
      out.push([path, current]);
      return;
    }
    if (typeof current !== 'object') return;
    if (Array.isArray(current)) {
      for (const item of current) {
        visit(path, item);
        if (typeof item === 'string') {
          // `metadata.tags.java` = true, once per (case-folded) item.
          const itemKey = `${path}.${item}`;
          const folded = itemKey.toLowerCase();
          if (!seenItemKeys.has(folded)) {
            seenItemKeys.add(folded);
            out.push([itemKey, true]);
          }
        }
      }
      return;
    }
    for (const [key, value] of Object.entries(current)) {
      visit(path ? `${path}.${key}` : key, value);
    }
  };

  visit('', entity);
  out.push(['metadata.name', entity.metadata.name]);
  out.push(['metadata.namespace', entity.metadata.namespace]);
  out.push(['metadata.uid', entity.metadata.uid]);
  if (!entity.metadata.namespace) out.push(['metadata.namespace', DEFAULT_NAMESPACE]);
  for (const relation of entity.relations ?? []) {
    out.push([`relations.${relation.type}`, relation.targetRef]);
  }
  return out;
}

/**
 * Both search columns of an entity in one walk.
 *
 * Follows Backstage's search table rules: every leaf path lowercased, arrays traversed, each string
 * array item also as `<path>.<item>` = "true", `relations.<type>` = targetRef, `metadata.namespace`
 * defaulting to `default`, `attachments`/`status`/`metadata.etag` left out, booleans and numbers as
 * their string form, null as "present, no value", keys over 200 characters dropped and values over
 * 200 characters kept as "present, no value". Two paths differing only in case would make filters
 * ambiguous, so Backstage refuses them: an InputError names them.
 */
export function buildSearchColumns(entity: Entity): {
  search: SearchDocument;
  originals: SearchOriginals;
} {
  // Maps while building: keys come from entity data, and `__proto__` must stay an ordinary key.
  const values = new Map<string, string[]>();
  const spelling = new Map<string, string>();
  const originals = new Map<string, Array<[string, string]>>();
  let clashes: Set<string> | undefined;
  for (const [rawKey, rawValue] of flatten(entity)) {
    const key = rawKey.toLowerCase();
    let list = values.get(key);
    if (list === undefined) {
      list = [];
      values.set(key, list);
      spelling.set(key, rawKey);
    } else if (spelling.get(key) !== rawKey) {
      (clashes ??= new Set()).add(key);
    }
    if (rawValue === undefined || rawValue === null) continue;
    const original = String(rawValue);
    const value = original.toLowerCase();
    if (value.length > MAX_SEARCH_VALUE_LENGTH) continue;
    if (list.includes(value)) continue; // the first spelling wins, as in Backstage's row dedup
    list.push(value);
    if (original !== value) {
      const spelled = originals.get(key);
      if (spelled) spelled.push([value, original]);
      else originals.set(key, [[value, original]]);
    }
  }
  if (clashes) {
    throw new InputError(
      `Entity has duplicate keys that vary only in casing, '${[...clashes].join("', '")}'`,
    );
  }
  for (const key of values.keys()) {
    if (key.length > MAX_SEARCH_KEY_LENGTH) {
      values.delete(key);
      originals.delete(key);
    }
  }
  // Object.fromEntries defines properties (no setters run), so `__proto__` stays data.
  return {
    search: Object.fromEntries(values),
    originals: Object.fromEntries([...originals].map(([key, pairs]) => [key, Object.fromEntries(pairs)])),
  };
}

/** The `search` document of an entity (see {@link buildSearchColumns}). */
export function buildSearchDocument(entity: Entity): SearchDocument {
  return buildSearchColumns(entity).search;
}
