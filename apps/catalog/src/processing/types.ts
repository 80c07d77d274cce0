// What processing one entity produces, and the extension point for extra processors.
import type { Entity, RelationTriple, SerializedError } from '@portal/catalog-model';

/** An entity emitted by a provider or by a parent entity (a Location), with its owner key. */
export interface DeferredEntity {
  entity: Entity;
  /**
   * The emitter that owns this entity ref (`url:…`/`file:…` for entities read from a location).
   * Another emitter with a different key that emits the same ref is in conflict and is skipped.
   */
  locationKey?: string;
}

/** A child a parent emitted, ready to be written: its canonical ref and the hash of its entity. */
export interface EmittedChild {
  entity: Entity;
  entityRef: string;
  locationKey: string | null;
  hash: string;
}

/**
 * The outcome of processing one entity.
 *
 * `ok: false`: the entity itself is invalid (or a processor failed on it). Only `errors` are
 * stored; the last good processed entity, its relations and its children stay as they were.
 *
 * `ok: true`: the entity is valid; its processed form, relations and children replace the previous
 * ones. `errors` may still hold problems that are not the entity's own (a target that could not be
 * read, a child kind refused by the rules, a child owned by another location); the children that
 * came from a target that failed to read are kept (`keptLocationKeys`), never orphaned.
 */
export type ProcessingResult =
  | { ok: false; errors: SerializedError[] }
  | {
      ok: true;
      entity: Entity;
      relations: RelationTriple[];
      children: EmittedChild[];
      /** Location keys (`file:/a.yaml`) whose previous children are kept as they are. */
      keptLocationKeys: string[];
      errors: SerializedError[];
    };

/** What an extra processor can add while processing an entity. */
export interface ProcessorEmit {
  relation(relation: RelationTriple): void;
  /** A problem to show on the entity; the entity is still stored. */
  error(error: Error | SerializedError): void;
}

/**
 * An extra processing step (catalog modules), run after validation and location reading and
 * before relations are read from the spec. It returns the entity to continue with; throwing fails
 * the entity's processing (the last good version stays). It must not change the entity's kind,
 * namespace or name.
 */
export interface CatalogProcessor {
  readonly name: string;
  process(entity: Entity, emit: ProcessorEmit): Promise<Entity | void> | Entity | void;
}

/** An error as it is stored in refresh_state.errors and shown in status.items. */
export function toSerializedError(error: unknown): SerializedError {
  if (error instanceof Error) return { name: error.name || 'Error', message: error.message };
  const record = error as { name?: unknown; message?: unknown } | null;
  if (record && typeof record.message === 'string') {
    return { name: typeof record.name === 'string' ? record.name : 'Error', message: record.message };
  }
  return { name: 'Error', message: String(error) };
}

/** Whether a JSON value holds a NUL character anywhere, keys included (jsonb cannot store one). */
export function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(containsNul);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).some(([key, member]) => key.includes('\u0000') || containsNul(member));
  }
  return false;
}
