import type { Sql } from '../util/sql.js';
import { appendEntityEvents } from './append-entity-events.js';
import { lockEntities, type LockedEntity } from './lock-entities.js';
import { markForStitching } from './mark-for-stitching.js';

/**
 * `roots` and their descendants (following refresh_state_references down) that no provider still
 * reaches: a descendant is kept when one of its ancestor chains ends at a provider reference
 * (`source_key`), e.g. it is also emitted by another location. Callers remove their own references
 * to the roots first.
 */
async function deletionClosure(sql: Sql, roots: string[]): Promise<string[]> {
  const rows = await sql.rows<{ entity_ref: string }>(
    `WITH RECURSIVE
       descendants(entity_ref) AS (
         SELECT unnest($1::text[])
         UNION
         SELECT r.target_entity_ref
           FROM descendants d JOIN refresh_state_references r ON r.source_entity_ref = d.entity_ref
       ),
       ancestors(subject, source_key, source_entity_ref) AS (
         SELECT d.entity_ref, r.source_key, r.source_entity_ref
           FROM descendants d JOIN refresh_state_references r ON r.target_entity_ref = d.entity_ref
         UNION
         SELECT a.subject, r.source_key, r.source_entity_ref
           FROM ancestors a JOIN refresh_state_references r ON r.target_entity_ref = a.source_entity_ref
       )
     SELECT d.entity_ref FROM descendants d
      WHERE NOT EXISTS (SELECT 1 FROM ancestors a WHERE a.subject = d.entity_ref AND a.source_key IS NOT NULL)`,
    [roots],
  );
  return rows.map((row) => row.entity_ref);
}

export interface DeleteEntitiesOptions {
  /** Recorded as the source of the 'deleted' events (a provider name, a parent ref...). */
  source: string | null;
}

/**
 * Deletes `roots` and the descendants that would otherwise be left without any provider reaching
 * them, in the caller's transaction: their refresh_state rows (references and the relations they
 * originated go with them by cascade), their final_entities rows and, for each entity that was
 * visible, a 'deleted' event. Entities whose relations pointed back at a deleted one (the other end
 * of an inverse relation it originated) are marked for stitching. Returns the deleted refs.
 */
export async function deleteEntities(
  sql: Sql,
  roots: string[],
  options: DeleteEntitiesOptions,
): Promise<string[]> {
  if (!roots.length) return [];
  // Lock what the closure names, then compute it again under the locks: nothing can add or remove
  // a reference to a locked entity, so the second answer is final for the rows we hold.
  const locked = new Map<string, LockedEntity>();
  let closure = await deletionClosure(sql, roots);
  for (let round = 0; round < 3; round++) {
    const missing = closure.filter((ref) => !locked.has(ref));
    if (!missing.length) break;
    for (const [ref, row] of await lockEntities(sql, missing)) locked.set(ref, row);
    closure = await deletionClosure(sql, roots);
  }
  const doomed = closure.filter((ref) => locked.has(ref)).map((ref) => locked.get(ref)!);
  if (!doomed.length) return [];
  const ids = doomed.map((row) => row.entityId);
  const refs = doomed.map((row) => row.entityRef);

  const affected = await sql.rows<{ source_entity_ref: string }>(
    `SELECT DISTINCT source_entity_ref FROM relations
      WHERE originating_entity_id = ANY($1::uuid[]) AND NOT (source_entity_ref = ANY($2::text[]))`,
    [ids, refs],
  );
  const visible = await sql.rows<{ entity_id: string; entity_ref: string }>(
    `DELETE FROM final_entities WHERE entity_id = ANY($1::uuid[]) RETURNING entity_id, entity_ref`,
    [ids],
  );
  await appendEntityEvents(
    sql,
    visible
      .sort((a, b) => (a.entity_ref < b.entity_ref ? -1 : 1))
      .map((row) => ({
        entityId: row.entity_id,
        entityRef: row.entity_ref,
        type: 'deleted' as const,
        finalEntity: null,
        source: options.source,
      })),
  );
  await sql.count('DELETE FROM refresh_state WHERE entity_id = ANY($1::uuid[])', [ids]);
  await markForStitching(
    sql,
    affected.map((row) => row.source_entity_ref),
  );
  return refs;
}
