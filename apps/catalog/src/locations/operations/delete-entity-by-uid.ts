import { deleteEntities } from '../../processing/operations/delete-entities.js';
import { lockEntities } from '../../processing/operations/lock-entities.js';
import { RetryTransaction, type Sql } from '../../processing/util/sql.js';

/** What `DELETE /entities/by-uid/{uid}` did. */
export interface DeleteByUidResult {
  /** Every ref deleted: the entity and the descendants nothing else reaches. */
  deleted: string[];
  /** Parents scheduled to process again (they emit the entity again if they still do). */
  parents: string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function emitters(sql: Sql, entityRef: string): Promise<string[]> {
  const rows = await sql.rows<{ source_entity_ref: string }>(
    `SELECT source_entity_ref FROM refresh_state_references
      WHERE target_entity_ref = $1 AND source_entity_ref IS NOT NULL ORDER BY source_entity_ref`,
    [entityRef],
  );
  return rows.map((row) => row.source_entity_ref);
}

/**
 * Backstage's hard delete, in the caller's transaction. The entity's row goes (with its references,
 * the relations it originated, its final row and a `deleted` event, through `deleteEntities`),
 * together with the descendants nothing else reaches. The parents that emitted it get their result
 * hash cleared and are made due, so that an entity a Location still emits comes back (with a new
 * uid) at the parent's next processing instead of staying lost; one only a provider emitted comes
 * back when the provider emits it again. Unknown uids delete nothing.
 */
export async function deleteEntityByUid(sql: Sql, uid: string): Promise<DeleteByUidResult> {
  if (!UUID.test(uid)) return { deleted: [], parents: [] };
  const found = await sql.rows<{ entity_ref: string }>(
    'SELECT entity_ref FROM refresh_state WHERE entity_id = $1::uuid',
    [uid],
  );
  const entityRef = found[0]?.entity_ref;
  if (!entityRef) return { deleted: [], parents: [] };

  // The entity and its parents, locked in the one ordered pass every writer uses; then check that
  // nothing changed between the unlocked read and the lock.
  const parents = await emitters(sql, entityRef);
  const locked = await lockEntities(sql, [entityRef, ...parents]);
  if (locked.get(entityRef)?.entityId !== uid) return { deleted: [], parents: [] };
  const parentsNow = await emitters(sql, entityRef);
  if (parentsNow.join('\n') !== parents.join('\n'))
    throw new RetryTransaction('emitters changed while locking');

  await sql.count(
    `UPDATE refresh_state SET result_hash = 'child-was-deleted', next_update_at = now()
      WHERE entity_ref = ANY($1::text[])`,
    [parents],
  );
  await sql.count('DELETE FROM refresh_state_references WHERE target_entity_ref = $1', [entityRef]);
  const deleted = await deleteEntities(sql, [entityRef], { source: null });
  return { deleted, parents };
}
