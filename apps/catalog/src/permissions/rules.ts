import type { Entity } from '@portal/catalog-model';
import {
  createPermissionRule,
  PermissionRuleset,
  type JsonSchema,
  type PermissionRule,
} from '@portal/platform';
import type { FilterPredicate } from '../entities/query/filter-predicate.js';
import { buildSearchDocument, type SearchDocument } from '../entities/query/search-document.js';
import { RESOURCE_TYPE_CATALOG_ENTITY } from './permissions.js';

type Rule<TParams> = PermissionRule<Entity, FilterPredicate, 'catalog-entity', TParams>;

const documents = new WeakMap<Entity, SearchDocument | null>();

/**
 * The entity's flattened, case-folded view: the same one the database filters run against (the
 * `search` column), so that `apply` and `toQuery` agree by construction on paths and casing.
 */
function documentOf(entity: Entity): SearchDocument | null {
  let doc = documents.get(entity);
  if (doc === undefined) {
    try {
      doc = buildSearchDocument(entity);
    } catch {
      doc = null; // an entity the catalog could not index matches no path rule
    }
    documents.set(entity, doc);
  }
  return doc;
}

/** Whether the flattened path exists (with `value` among its values, case-insensitively). */
function hasPath(entity: Entity, path: string, value: string | undefined): boolean {
  const doc = documentOf(entity);
  if (!doc) return false;
  const key = path.toLowerCase();
  if (!Object.hasOwn(doc, key)) return false;
  return value === undefined || doc[key]!.includes(value.toLowerCase());
}

/** `{path: value}` or `{path: {$exists: true}}`. */
function pathPredicate(path: string, value: string | undefined): FilterPredicate {
  return { [path]: value === undefined ? { $exists: true } : value };
}

const stringParam = (description: string): JsonSchema => ({ type: 'string', minLength: 1, description });
const objectSchema = (properties: Record<string, JsonSchema>, required: string[]): JsonSchema => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});

function rule<TParams>(r: Rule<TParams>) {
  return createPermissionRule<Entity, FilterPredicate, 'catalog-entity', TParams>(r);
}

/** Some `ownedBy` relation targets one of the claims (the user's ownership refs). */
export const isEntityOwner = rule<{ claims: string[] }>({
  name: 'IS_ENTITY_OWNER',
  description: 'Allow entities owned by a specified claim',
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
  paramsSchema: objectSchema(
    {
      claims: {
        type: 'array',
        items: { type: 'string' },
        description: 'List of claims to match at least one on within ownedBy',
      },
    },
    ['claims'],
  ),
  apply: (entity, { claims }) => {
    const wanted = new Set(claims.map((c) => c.toLowerCase()));
    return (entity.relations ?? []).some(
      (r) => r.type.toLowerCase() === 'ownedby' && wanted.has(r.targetRef.toLowerCase()),
    );
  },
  toQuery: ({ claims }) => ({ 'relations.ownedBy': { $in: claims } }),
});

export const isEntityKind = rule<{ kinds: string[] }>({
  name: 'IS_ENTITY_KIND',
  description: 'Allow entities matching a specified kind',
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
  paramsSchema: objectSchema(
    {
      kinds: {
        type: 'array',
        items: { type: 'string' },
        description: 'List of kinds to match at least one of',
      },
    },
    ['kinds'],
  ),
  apply: (entity, { kinds }) => kinds.some((k) => k.toLowerCase() === entity.kind.toLowerCase()),
  toQuery: ({ kinds }) => ({ kind: { $in: kinds } }),
});

export const hasAnnotation = rule<{ annotation: string; value?: string }>({
  name: 'HAS_ANNOTATION',
  description: 'Allow entities with the specified annotation',
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
  paramsSchema: objectSchema(
    {
      annotation: stringParam('Name of the annotation to match on'),
      value: { type: 'string', description: 'Value of the annotation to match on' },
    },
    ['annotation'],
  ),
  apply: (entity, { annotation, value }) => hasPath(entity, `metadata.annotations.${annotation}`, value),
  toQuery: ({ annotation, value }) => pathPredicate(`metadata.annotations.${annotation}`, value),
});

export const hasLabel = rule<{ label: string; value?: string }>({
  name: 'HAS_LABEL',
  description: 'Allow entities with the specified label',
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
  paramsSchema: objectSchema(
    {
      label: stringParam('Name of the label to match on'),
      value: { type: 'string', description: 'Value of the label to match on' },
    },
    ['label'],
  ),
  apply: (entity, { label, value }) => hasPath(entity, `metadata.labels.${label}`, value),
  toQuery: ({ label, value }) => pathPredicate(`metadata.labels.${label}`, value),
});

export const hasMetadata = rule<{ key: string; value?: string }>({
  name: 'HAS_METADATA',
  description: 'Allow entities with the specified metadata subfield',
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
  paramsSchema: objectSchema(
    {
      key: stringParam('Property within the entities metadata to match on'),
      value: { type: 'string', description: 'Value of the given property to match on' },
    },
    ['key'],
  ),
  apply: (entity, { key, value }) => hasPath(entity, `metadata.${key}`, value),
  toQuery: ({ key, value }) => pathPredicate(`metadata.${key}`, value),
});

export const hasSpec = rule<{ key: string; value?: string }>({
  name: 'HAS_SPEC',
  description: 'Allow entities with the specified spec subfield',
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
  paramsSchema: objectSchema(
    {
      key: stringParam('Property within the entities spec to match on'),
      value: { type: 'string', description: 'Value of the given property to match on' },
    },
    ['key'],
  ),
  apply: (entity, { key, value }) => hasPath(entity, `spec.${key}`, value),
  toQuery: ({ key, value }) => pathPredicate(`spec.${key}`, value),
});

export const catalogEntityRules = [
  isEntityOwner,
  isEntityKind,
  hasAnnotation,
  hasLabel,
  hasMetadata,
  hasSpec,
];

/** The catalog's rules over FilterPredicate: allOf → $all, anyOf → $any, not → $not. */
export const catalogEntityRuleset = new PermissionRuleset<Entity, FilterPredicate>(
  RESOURCE_TYPE_CATALOG_ENTITY,
  catalogEntityRules,
  {
    allOf: (queries) => ({ $all: queries }),
    anyOf: (queries) => ({ $any: queries }),
    not: (query) => ({ $not: query }),
  },
);
