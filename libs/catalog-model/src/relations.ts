// The relations an entity's spec fields imply, in both directions, as the kind's definition maps them.
import type { Entity } from './entity.js';
import { getCompoundEntityRef, parseEntityRef, stringifyEntityRef } from './entity-ref.js';
import type { KindRelationDefinition } from './kinds/kind-definition.js';
import type { KindRegistry } from './kinds/kind-registry.js';
import { isObject, joinPath, type ValidationProblem } from './validation/problem.js';

export * from './relation-types.js';

/** One directed relation; both ends are full lowercase entity refs. */
export interface RelationTriple {
  source: string;
  type: string;
  target: string;
}

export interface ImpliedRelations {
  /** Relations from this entity to the entities its spec names. */
  forward: RelationTriple[];
  /** The inverse relations, from each named entity back to this one. */
  inverse: RelationTriple[];
  /** Refs that could not be read (e.g. no kind where the field has no default kind). */
  problems: ValidationProblem[];
}

/** The value at a dotted path, following own properties only. */
function valueAt(entity: Entity, path: string): unknown {
  let current: unknown = entity;
  for (const key of path.split('.')) {
    if (!isObject(current) || !Object.prototype.hasOwnProperty.call(current, key)) return undefined;
    current = current[key];
  }
  return current;
}

/** The refs a relation field holds, each with its path; an empty (falsy) field holds none. */
function refsAt(entity: Entity, field: string): Array<{ path: string; ref: unknown }> {
  const value = valueAt(entity, field);
  if (!value) return [];
  if (Array.isArray(value)) return value.map((ref, index) => ({ path: joinPath(field, index), ref }));
  return [{ path: field, ref: value }];
}

function addUnique(list: RelationTriple[], seen: Set<string>, triple: RelationTriple): void {
  const key = `${triple.source}\n${triple.type}\n${triple.target}`;
  if (seen.has(key)) return;
  seen.add(key);
  list.push(triple);
}

/**
 * Every relation implied by the spec fields of `entity` under its kind's definition. Refs without
 * a namespace take the entity's own; refs without a kind take the field's default kind. Entities of
 * kinds the registry does not know imply nothing.
 */
export function relationsOf(entity: Entity, kinds: KindRegistry): ImpliedRelations {
  const result: ImpliedRelations = { forward: [], inverse: [], problems: [] };
  if (!isObject(entity) || typeof entity.kind !== 'string' || !isObject(entity.metadata)) return result;
  const kind = kinds.get(entity.kind);
  if (!kind || typeof entity.metadata.name !== 'string') return result;
  const self = getCompoundEntityRef(entity);
  const selfRef = stringifyEntityRef(self);
  const seenForward = new Set<string>();
  const seenInverse = new Set<string>();
  for (const relation of kind.definition.relations) {
    for (const { path, ref } of refsAt(entity, relation.field)) {
      const target = readRef(ref, relation, self.namespace, path, result.problems);
      if (target === undefined) continue;
      addUnique(result.forward, seenForward, { source: selfRef, type: relation.type, target });
      addUnique(result.inverse, seenInverse, { source: target, type: relation.inverse, target: selfRef });
    }
  }
  return result;
}

function readRef(
  ref: unknown,
  relation: KindRelationDefinition,
  defaultNamespace: string,
  path: string,
  problems: ValidationProblem[],
): string | undefined {
  if (typeof ref !== 'string') {
    problems.push({ path, message: 'must be an entity reference string' });
    return undefined;
  }
  try {
    return stringifyEntityRef(parseEntityRef(ref, { defaultKind: relation.defaultKind, defaultNamespace }));
  } catch (error) {
    problems.push({ path, message: (error as Error).message });
    return undefined;
  }
}
