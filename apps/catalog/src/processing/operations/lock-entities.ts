import type { Sql } from '../util/sql.js';

/** What the writers need to know about a locked refresh_state row. */
export interface LockedEntity {
  entityId: string;
  entityRef: string;
  locationKey: string | null;
  unprocessedHash: string;
}

/**
 * Locks the refresh_state rows of `entityRefs` (those that exist) for the rest of the transaction,
 * always in entity_ref order. Every writer takes all the row locks it needs through this one
 * ordered statement before writing, so two writers never wait on each other in a cycle.
 */
export async function lockEntities(
  sql: Sql,
  entityRefs: Iterable<string>,
): Promise<Map<string, LockedEntity>> {
  const refs = [...new Set(entityRefs)].sort();
  const locked = new Map<string, LockedEntity>();
  if (!refs.length) return locked;
  const rows = await sql.rows<{
    entity_id: string;
    entity_ref: string;
    location_key: string | null;
    unprocessed_hash: string;
  }>(
    `SELECT entity_id, entity_ref, location_key, unprocessed_hash
       FROM refresh_state
      WHERE entity_ref = ANY($1::text[])
      ORDER BY entity_ref
        FOR UPDATE`,
    [refs],
  );
  for (const row of rows) {
    locked.set(row.entity_ref, {
      entityId: row.entity_id,
      entityRef: row.entity_ref,
      locationKey: row.location_key,
      unprocessedHash: row.unprocessed_hash,
    });
  }
  return locked;
}
