// Who may write an entity ref: the first emitter owns it, by its location key.
import type { SerializedError } from '@portal/catalog-model';
import type { EntityOwners } from './operations/list-entity-owners.js';
import type { EmittedChild, ProcessingResult } from './types.js';

/** An emitter: a provider (by its name) or a parent entity (by its ref), with the key it emits under. */
export interface Emitter {
  sourceKey?: string;
  sourceEntityRef?: string;
  locationKey: string | null;
}

function isSameSource(
  reference: { sourceKey: string | null; sourceEntityRef: string | null },
  emitter: Emitter,
): boolean {
  return emitter.sourceKey !== undefined
    ? reference.sourceKey === emitter.sourceKey
    : reference.sourceEntityRef === emitter.sourceEntityRef;
}

/**
 * Whether `emitter` may write the entity: nobody holds it yet, it was written without a key, the
 * emitter uses the same key as the current owner, or nothing but the emitter itself emits it any
 * more (an orphan is adopted, and an entity that moved from one file to another of the same
 * Location follows it). Otherwise the emitter is in conflict with the owner and is skipped.
 */
export function mayWrite(
  owners: Pick<EntityOwners, 'locationKey' | 'references'> | undefined,
  emitter: Emitter,
): boolean {
  if (!owners) return true;
  if (owners.locationKey === null || owners.locationKey === emitter.locationKey) return true;
  return owners.references.every((reference) => isSameSource(reference, emitter));
}

/** The error a parent shows for a child another emitter owns. */
export function conflictMessage(
  entityRef: string,
  ownerKey: string | null,
  emitterKey: string | null,
): string {
  return `Entity ${entityRef} is already managed by ${ownerKey ?? 'another emitter'}; it is ignored from ${emitterKey ?? 'this source'}`;
}

/**
 * Drops the children of a good result that another emitter owns (as `owners` stood when read) and
 * adds one error each to the result, so that a conflict is part of the result's hash: when the owner
 * lets go of the entity, the result changes and the next run writes it.
 */
export function withoutConflicts(
  result: ProcessingResult,
  parentRef: string,
  owners: Map<string, Pick<EntityOwners, 'locationKey' | 'references'>>,
): ProcessingResult {
  if (!result.ok || !result.children.length) return result;
  const children: EmittedChild[] = [];
  const errors: SerializedError[] = [...result.errors];
  for (const child of result.children) {
    const owner = owners.get(child.entityRef);
    if (mayWrite(owner, { sourceEntityRef: parentRef, locationKey: child.locationKey })) children.push(child);
    else
      errors.push({
        name: 'ConflictError',
        message: conflictMessage(child.entityRef, owner?.locationKey ?? null, child.locationKey),
      });
  }
  return children.length === result.children.length ? result : { ...result, children, errors };
}
