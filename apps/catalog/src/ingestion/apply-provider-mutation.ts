// Applies a provider's mutation to refresh_state (see processing/README.md, "Providers").
import { toCanonicalRef, type Entity } from '@portal/catalog-model';
import { InputError } from '@portal/platform';
import { deleteEntities } from '../processing/operations/delete-entities.js';
import {
  insertUnprocessedEntities,
  type UnprocessedEntity,
} from '../processing/operations/insert-unprocessed-entities.js';
import { listReferencesTo, type IncomingReference } from '../processing/operations/list-references-to.js';
import { listUnreferencedEntities } from '../processing/operations/list-unreferenced-entities.js';
import { lockEntities, type LockedEntity } from '../processing/operations/lock-entities.js';
import { markForStitching } from '../processing/operations/mark-for-stitching.js';
import { updateUnprocessedEntities } from '../processing/operations/update-unprocessed-entities.js';
import { writeReferences, type Reference } from '../processing/operations/write-references.js';
import { mayWrite } from '../processing/ownership.js';
import { containsNul } from '../processing/types.js';
import { hashOf } from '../processing/util/stable-json.js';
import type { Sql } from '../processing/util/sql.js';
import type { EntityProviderMutation, MutationSummary } from './entity-provider.js';
import { listProviderEntities } from './operations/list-provider-entities.js';

const CHUNK = 1000;
const MAX_PROBLEMS = 10;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function refOfEntity(entity: unknown): string {
  if (!isRecord(entity) || !isRecord(entity.metadata)) throw new Error('is not an entity object');
  const { kind } = entity;
  const { name, namespace } = entity.metadata;
  if (typeof kind !== 'string' || !kind) throw new Error('has no kind');
  if (typeof name !== 'string' || !name) throw new Error('has no metadata.name');
  if (namespace !== undefined && (typeof namespace !== 'string' || !namespace)) {
    throw new Error('has a metadata.namespace that is not a non-empty string');
  }
  return toCanonicalRef({ kind, namespace, name });
}

/** A mutation checked and normalised: unique refs (the last entry of a ref wins), hashed. */
export interface NormalizedMutation {
  type: 'full' | 'delta';
  upserts: UnprocessedEntity[];
  removals: string[];
}

/**
 * Checks a mutation before anything is written: every entity must at least name a kind and a
 * name (the rest is validated by processing, where an invalid entity gets errors). Throws an
 * InputError naming the offending items, so a pushed mutation is refused as a whole.
 */
export function normalizeMutation(mutation: EntityProviderMutation): NormalizedMutation {
  const problems: string[] = [];
  const upserts = new Map<string, UnprocessedEntity>();
  if (!isRecord(mutation) || (mutation.type !== 'full' && mutation.type !== 'delta')) {
    throw new InputError("A mutation must have type 'full' or 'delta'");
  }
  const added = mutation.type === 'full' ? mutation.entities : mutation.added;
  if (!Array.isArray(added)) {
    throw new InputError(
      `A ${mutation.type} mutation needs '${mutation.type === 'full' ? 'entities' : 'added'}' as a list`,
    );
  }
  added.forEach((item, index) => {
    const where = `${mutation.type === 'full' ? 'entities' : 'added'}[${index}]`;
    if (!isRecord(item)) {
      problems.push(`${where} is not an object`);
      return;
    }
    const locationKey = item.locationKey;
    if (locationKey !== undefined && locationKey !== null && typeof locationKey !== 'string') {
      problems.push(`${where}.locationKey is not a string`);
      return;
    }
    try {
      const entityRef = refOfEntity(item.entity);
      const entity = item.entity as Entity;
      if (containsNul(entity)) throw new Error('contains a NUL character, which the catalog cannot store');
      upserts.set(entityRef, { entityRef, entity, hash: hashOf(entity), locationKey: locationKey || null });
    } catch (error) {
      problems.push(`${where}.entity ${(error as Error).message}`);
    }
  });
  const removals: string[] = [];
  if (mutation.type === 'delta') {
    if (!Array.isArray(mutation.removed)) throw new InputError("A delta mutation needs 'removed' as a list");
    mutation.removed.forEach((item, index) => {
      try {
        if (isRecord(item) && typeof item.entityRef === 'string')
          removals.push(toCanonicalRef(item.entityRef));
        else if (isRecord(item) && 'entity' in item) removals.push(refOfEntity(item.entity));
        else throw new Error('needs an entityRef or an entity');
      } catch (error) {
        problems.push(`removed[${index}] ${(error as Error).message}`);
      }
    });
  }
  if (problems.length) {
    const more = problems.length > MAX_PROBLEMS ? `; and ${problems.length - MAX_PROBLEMS} more` : '';
    throw new InputError(`Invalid mutation: ${problems.slice(0, MAX_PROBLEMS).join('; ')}${more}`);
  }
  return { type: mutation.type, upserts: [...upserts.values()], removals };
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Writes a normalised mutation for provider `sourceKey` in the caller's transaction and reports
 * what changed. Idempotent: what the provider already emits with the same content and key is not
 * touched, and a mutation that changes nothing writes nothing.
 *
 * New refs are inserted (due for processing at once), changed ones updated when the provider owns
 * them (see ownership.ts; otherwise they are conflicts and skipped). A full mutation removes the
 * provider's references to everything it no longer emits, a delta the ones it names; an entity left
 * with no reference at all is deleted, with its descendants that nothing else reaches, its
 * relations, its final row and a 'deleted' event.
 */
export async function applyProviderMutation(
  sql: Sql,
  sourceKey: string,
  mutation: NormalizedMutation,
): Promise<MutationSummary> {
  const summary: MutationSummary = { added: 0, updated: 0, deleted: 0, conflicts: [] };
  const emitted = await listProviderEntities(sql, sourceKey);
  const upsertRefs = new Set(mutation.upserts.map((u) => u.entityRef));
  const changed = mutation.upserts.filter((u) => {
    const current = emitted.get(u.entityRef);
    return !current || current.unprocessedHash !== u.hash || current.locationKey !== u.locationKey;
  });
  const removed =
    mutation.type === 'full'
      ? [...emitted.keys()].filter((ref) => !upsertRefs.has(ref))
      : [...new Set(mutation.removals)].filter((ref) => emitted.has(ref) && !upsertRefs.has(ref));
  if (!changed.length && !removed.length) return summary;

  // Lock every row this mutation touches, in ref order, chunk after chunk.
  const byRef = new Map(changed.map((u) => [u.entityRef, u]));
  const touched = [...new Set([...byRef.keys(), ...removed])].sort();
  const locked = new Map<string, LockedEntity>();
  for (const chunk of chunks(touched, CHUNK)) {
    for (const [ref, row] of await lockEntities(sql, chunk)) locked.set(ref, row);
  }
  const incoming = new Map<string, IncomingReference[]>();
  for (const chunk of chunks(
    [...byRef.keys()].filter((ref) => locked.has(ref)),
    CHUNK,
  )) {
    for (const reference of await listReferencesTo(sql, chunk)) {
      const list = incoming.get(reference.targetEntityRef);
      if (list) list.push(reference);
      else incoming.set(reference.targetEntityRef, [reference]);
    }
  }

  const toInsert: UnprocessedEntity[] = [];
  const toUpdate: UnprocessedEntity[] = [];
  const referencesAdded: Reference[] = [];
  const referencesRemoved: Reference[] = removed.map((ref) => ({ sourceKey, targetEntityRef: ref }));
  const unorphaned: string[] = [];
  for (const upsert of changed) {
    const row = locked.get(upsert.entityRef);
    const references = incoming.get(upsert.entityRef) ?? [];
    const ours = emitted.has(upsert.entityRef);
    if (!row) {
      toInsert.push(upsert);
      continue;
    }
    if (
      !mayWrite({ locationKey: row.locationKey, references }, { sourceKey, locationKey: upsert.locationKey })
    ) {
      summary.conflicts.push(upsert.entityRef);
      if (ours) referencesRemoved.push({ sourceKey, targetEntityRef: upsert.entityRef });
      continue;
    }
    if (row.unprocessedHash !== upsert.hash || row.locationKey !== upsert.locationKey) toUpdate.push(upsert);
    if (!references.some((r) => r.sourceKey === sourceKey)) {
      referencesAdded.push({ sourceKey, targetEntityRef: upsert.entityRef });
      if (!references.length) unorphaned.push(upsert.entityRef);
    }
  }

  for (const chunk of chunks(toInsert, CHUNK)) {
    const inserted = await insertUnprocessedEntities(sql, chunk);
    for (const upsert of chunk) {
      if (inserted.has(upsert.entityRef)) {
        summary.added++;
        referencesAdded.push({ sourceKey, targetEntityRef: upsert.entityRef });
      } else {
        // Created by someone else since the lock; the provider's next mutation sees it as new again.
        summary.conflicts.push(upsert.entityRef);
      }
    }
  }
  for (const chunk of chunks(toUpdate, CHUNK)) await updateUnprocessedEntities(sql, chunk);
  summary.updated = toUpdate.length;
  for (const chunk of chunks(referencesRemoved, CHUNK)) await writeReferences(sql, { removed: chunk });
  for (const chunk of chunks(referencesAdded, CHUNK)) await writeReferences(sql, { added: chunk });

  const unreferenced: string[] = [];
  for (const chunk of chunks(
    referencesRemoved.map((r) => r.targetEntityRef),
    CHUNK,
  )) {
    unreferenced.push(...(await listUnreferencedEntities(sql, chunk)));
  }
  for (const chunk of chunks(unreferenced, CHUNK)) {
    summary.deleted += (await deleteEntities(sql, chunk, { source: sourceKey })).length;
  }
  await markForStitching(sql, unorphaned);
  return summary;
}
