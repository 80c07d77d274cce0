// Writes a batch of processing results in one transaction (see README.md, "Writing a result").
import type { RelationTriple, SerializedError } from '@portal/catalog-model';
import { deleteEntities } from './operations/delete-entities.js';
import {
  insertUnprocessedEntities,
  type UnprocessedEntity,
} from './operations/insert-unprocessed-entities.js';
import { listEmittedReferences, type EmittedReference } from './operations/list-emitted-references.js';
import { listOriginatedRelations, type RelationRow } from './operations/list-originated-relations.js';
import { listReferencesTo, type IncomingReference } from './operations/list-references-to.js';
import { listUnreferencedEntities } from './operations/list-unreferenced-entities.js';
import { lockEntities } from './operations/lock-entities.js';
import { markForStitching } from './operations/mark-for-stitching.js';
import {
  updateProcessedEntities,
  type SuccessfulProcessing,
} from './operations/update-processed-entities.js';
import { updateProcessingErrors } from './operations/update-processing-errors.js';
import { updateUnprocessedEntities } from './operations/update-unprocessed-entities.js';
import { writeReferences, type Reference } from './operations/write-references.js';
import { writeRelations } from './operations/write-relations.js';
import { mayWrite } from './ownership.js';
import type { EmittedChild, ProcessingResult } from './types.js';
import { RetryTransaction, type Sql } from './util/sql.js';

/** A processed entity whose result hash differs from the stored one. */
export interface ProcessedItem {
  entityId: string;
  entityRef: string;
  result: ProcessingResult;
  resultHash: string;
}

export interface WriteProcessingOptions {
  orphanStrategy: 'keep' | 'delete';
}

export interface WriteProcessingSummary {
  /** Items written (the others vanished or were replaced since they were claimed). */
  written: number;
  /** Children not written because another emitter owns them. */
  conflicts: string[];
  /** Entities deleted as orphans (orphanStrategy delete). */
  deleted: string[];
  /** Entities newly marked for stitching. */
  marked: number;
}

type Succeeded = ProcessedItem & { result: Extract<ProcessingResult, { ok: true }> };

interface Previous {
  references: EmittedReference[];
  relations: RelationRow[];
}

async function readPrevious(sql: Sql, parents: string[], ids: string[]): Promise<Previous> {
  return {
    references: await listEmittedReferences(sql, parents),
    relations: await listOriginatedRelations(sql, ids),
  };
}

function fingerprint(previous: Previous): string {
  return JSON.stringify(previous);
}

function relationKey(row: { sourceEntityRef: string; type: string; targetEntityRef: string }): string {
  return `${row.sourceEntityRef}\n${row.type}\n${row.targetEntityRef}`;
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** Per parent: the relation diff and the children it keeps, emits and drops. */
interface ParentPlan {
  item: Succeeded;
  oldTargets: Map<string, EmittedReference>;
  /** Old children kept because the target they came from failed to read. */
  kept: Set<string>;
  emitted: EmittedChild[];
  removed: Set<string>;
  relationsInserted: RelationRow[];
  relationsDeleted: RelationRow[];
}

function planParent(item: Succeeded, previous: Previous): ParentPlan {
  const oldRefs = previous.references.filter((r) => r.sourceEntityRef === item.entityRef);
  const oldTargets = new Map(oldRefs.map((r) => [r.targetEntityRef, r]));
  const emitted = item.result.children;
  const emittedRefs = new Set(emitted.map((c) => c.entityRef));
  const keptKeys = new Set(item.result.keptLocationKeys);
  const kept = new Set(
    oldRefs
      .filter(
        (r) =>
          !emittedRefs.has(r.targetEntityRef) &&
          r.targetLocationKey !== null &&
          keptKeys.has(r.targetLocationKey),
      )
      .map((r) => r.targetEntityRef),
  );
  const removed = new Set([...oldTargets.keys()].filter((ref) => !emittedRefs.has(ref) && !kept.has(ref)));

  const desired = new Map<string, RelationRow>();
  for (const triple of item.result.relations) {
    const row = toRelationRow(item.entityId, triple);
    desired.set(relationKey(row), row);
  }
  const existing = new Map(
    previous.relations.filter((r) => r.originatingEntityId === item.entityId).map((r) => [relationKey(r), r]),
  );
  return {
    item,
    oldTargets,
    kept,
    emitted,
    removed,
    relationsInserted: [...desired].filter(([key]) => !existing.has(key)).map(([, row]) => row),
    relationsDeleted: [...existing].filter(([key]) => !desired.has(key)).map(([, row]) => row),
  };
}

function toRelationRow(entityId: string, triple: RelationTriple): RelationRow {
  return {
    originatingEntityId: entityId,
    sourceEntityRef: triple.source,
    type: triple.type,
    targetEntityRef: triple.target,
  };
}

/**
 * Writes processing results, in the caller's transaction:
 *
 * 1. reads what the parents emitted and the relations they originated before (no locks), and from
 *    that every row this write will touch: the entities themselves, their old and new children,
 *    and the entities at the other end of every relation that changes;
 * 2. locks all those rows in one ordered statement, then reads again: if anything changed in
 *    between, the transaction is retried (another replica wrote the same entity after its lease);
 * 3. failed runs store only their errors; good runs store the processed entity, insert or update
 *    the children they own (a child another emitter owns is skipped and, when that was not already
 *    an error of the result, the result hash is cleared so the next run writes again), replace
 *    their references and relations;
 * 4. children no longer emitted and no longer referenced at all are orphans: marked for stitching
 *    (the stitcher adds the orphan annotation) or deleted under `orphanStrategy: delete`;
 * 5. marks for stitching the entities, the other ends of changed relations and the children whose
 *    orphan state may have changed.
 */
export async function writeProcessingResults(
  sql: Sql,
  items: ProcessedItem[],
  options: WriteProcessingOptions,
): Promise<WriteProcessingSummary> {
  const summary: WriteProcessingSummary = { written: 0, conflicts: [], deleted: [], marked: 0 };
  if (!items.length) return summary;
  const allSucceeded = items.filter((i): i is Succeeded => i.result.ok);
  const parents = allSucceeded.map((i) => i.entityRef);
  const ids = allSucceeded.map((i) => i.entityId);

  const before = await readPrevious(sql, parents, ids);
  const lockRefs = new Set(items.map((i) => i.entityRef));
  for (const item of allSucceeded) {
    const plan = planParent(item, before);
    for (const child of plan.emitted) lockRefs.add(child.entityRef);
    for (const ref of plan.oldTargets.keys()) lockRefs.add(ref);
    for (const row of [...plan.relationsInserted, ...plan.relationsDeleted])
      lockRefs.add(row.sourceEntityRef);
  }
  const locked = await lockEntities(sql, lockRefs);
  const after = await readPrevious(sql, parents, ids);
  if (fingerprint(before) !== fingerprint(after)) {
    throw new RetryTransaction('emitted references or relations changed while locking');
  }

  // Items whose row vanished or was replaced since the claim are dropped.
  const current = (item: ProcessedItem) => locked.get(item.entityRef)?.entityId === item.entityId;
  const failed = items.filter((i) => !i.result.ok && current(i));
  const succeeded = allSucceeded.filter(current);
  summary.written = failed.length + succeeded.length;
  // The written entities themselves are marked by the statements that store their results.
  const written = new Set<string>([...failed, ...succeeded].map((i) => i.entityRef));
  const marks = new Set<string>();

  await updateProcessingErrors(
    sql,
    failed.map((i) => ({
      entityId: i.entityId,
      errors: i.result.errors as SerializedError[],
      resultHash: i.resultHash,
    })),
  );

  const plans = succeeded.map((item) => planParent(item, before));
  const existingChildren = [...new Set(plans.flatMap((p) => p.emitted.map((c) => c.entityRef)))].filter(
    (ref) => locked.has(ref),
  );
  const incoming = groupBy<IncomingReference>(
    await listReferencesTo(sql, existingChildren),
    (r) => r.targetEntityRef,
  );
  // Ownership as this batch leaves it: a child written by an earlier parent of the batch counts.
  const owners = new Map<
    string,
    { locationKey: string | null; references: Array<Omit<IncomingReference, 'targetEntityRef'>> }
  >();
  for (const ref of existingChildren) {
    owners.set(ref, { locationKey: locked.get(ref)!.locationKey, references: incoming.get(ref) ?? [] });
  }

  const toInsert = new Map<string, UnprocessedEntity & { parent: string }>();
  const toUpdate = new Map<string, UnprocessedEntity>();
  const referencesAdded: Reference[] = [];
  const referencesRemoved: Reference[] = [];
  const staleHash = new Set<string>();
  const removedBy = new Map<string, string>();

  for (const plan of plans) {
    const parent = plan.item.entityRef;
    for (const child of plan.emitted) {
      const emitter = { sourceEntityRef: parent, locationKey: child.locationKey };
      const owner = owners.get(child.entityRef);
      if (!mayWrite(owner, emitter)) {
        summary.conflicts.push(child.entityRef);
        staleHash.add(parent);
        if (plan.oldTargets.has(child.entityRef)) plan.removed.add(child.entityRef);
        continue;
      }
      const unprocessed = {
        entityRef: child.entityRef,
        entity: child.entity,
        hash: child.hash,
        locationKey: child.locationKey,
      };
      const row = locked.get(child.entityRef);
      if (!row) {
        if (!toInsert.has(child.entityRef)) toInsert.set(child.entityRef, { ...unprocessed, parent });
      } else if (row.unprocessedHash !== child.hash || row.locationKey !== child.locationKey) {
        toUpdate.set(child.entityRef, unprocessed);
        row.unprocessedHash = child.hash;
        row.locationKey = child.locationKey;
      }
      if (!plan.oldTargets.has(child.entityRef)) {
        referencesAdded.push({ sourceEntityRef: parent, targetEntityRef: child.entityRef });
        // A child that nothing emitted before stops being an orphan.
        if (row && !(owner?.references.length ?? 0)) marks.add(child.entityRef);
      }
      const next = owner ?? { locationKey: child.locationKey, references: [] };
      next.locationKey = child.locationKey;
      if (!next.references.some((r) => r.sourceEntityRef === parent)) {
        next.references.push({ sourceKey: null, sourceEntityRef: parent });
      }
      owners.set(child.entityRef, next);
    }
    for (const ref of plan.removed) {
      referencesRemoved.push({ sourceEntityRef: parent, targetEntityRef: ref });
      removedBy.set(ref, parent);
    }
    for (const row of [...plan.relationsInserted, ...plan.relationsDeleted]) marks.add(row.sourceEntityRef);
  }

  const inserted = await insertUnprocessedEntities(sql, [...toInsert.values()]);
  for (const [ref, child] of toInsert) {
    if (inserted.has(ref)) continue;
    // Another transaction created it after our lock; it is not ours to reference this time.
    staleHash.add(child.parent);
    summary.conflicts.push(ref);
  }
  const addable = referencesAdded.filter(
    (r) => locked.has(r.targetEntityRef) || inserted.has(r.targetEntityRef),
  );
  await updateUnprocessedEntities(sql, [...toUpdate.values()]);

  const processed: SuccessfulProcessing[] = succeeded.map((item) => ({
    entityId: item.entityId,
    processedEntity: item.result.entity,
    errors: item.result.errors,
    resultHash: staleHash.has(item.entityRef) ? null : item.resultHash,
  }));
  await updateProcessedEntities(sql, processed);
  await writeReferences(sql, { added: addable, removed: referencesRemoved });
  await writeRelations(sql, {
    inserted: plans.flatMap((p) => p.relationsInserted),
    deleted: plans.flatMap((p) => p.relationsDeleted),
  });

  const orphans = await listUnreferencedEntities(sql, [...removedBy.keys()]);
  if (options.orphanStrategy === 'delete') {
    for (const [parent, refs] of groupBy(orphans, (ref) => removedBy.get(ref)!)) {
      summary.deleted.push(...(await deleteEntities(sql, refs, { source: parent })));
    }
  } else {
    for (const ref of orphans) marks.add(ref);
  }
  for (const ref of [...summary.deleted, ...inserted, ...written]) marks.delete(ref);
  summary.marked = written.size + (await markForStitching(sql, marks));
  return summary;
}
