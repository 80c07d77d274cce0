import type { Sql } from '../util/sql.js';
import { toRecord, type UnprocessedEntity } from './insert-unprocessed-entities.js';

/**
 * Replaces what an emitter says about entities it owns (new content or a new owner key) and makes
 * them due for processing at once. Callers pass only rows they locked and whose hash or key differ.
 */
export async function updateUnprocessedEntities(sql: Sql, items: UnprocessedEntity[]): Promise<void> {
  if (!items.length) return;
  await sql.count(
    `UPDATE refresh_state r
        SET unprocessed_entity = u.entity, unprocessed_hash = u.hash, location_key = u.location_key,
            next_update_at = now(), last_discovery_at = now()
       FROM jsonb_to_recordset($1::jsonb) AS u(entity_ref text, entity jsonb, hash text, location_key text)
      WHERE r.entity_ref = u.entity_ref`,
    [JSON.stringify(items.map(toRecord))],
  );
}
