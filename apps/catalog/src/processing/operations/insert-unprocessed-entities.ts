import type { Entity } from '@portal/catalog-model';
import type { Sql } from '../util/sql.js';

export interface UnprocessedEntity {
  entityRef: string;
  entity: Entity;
  hash: string;
  locationKey: string | null;
}

/** The JSON record the statements read with jsonb_to_recordset (one parameter for the whole batch). */
export function toRecord(item: UnprocessedEntity) {
  return { entity_ref: item.entityRef, entity: item.entity, hash: item.hash, location_key: item.locationKey };
}

/**
 * Adds entities the catalog did not know, due for processing at once. A ref another transaction
 * inserted meanwhile is left alone; the refs actually inserted are returned.
 */
export async function insertUnprocessedEntities(sql: Sql, items: UnprocessedEntity[]): Promise<Set<string>> {
  if (!items.length) return new Set();
  const sorted = [...items].sort((a, b) =>
    a.entityRef < b.entityRef ? -1 : a.entityRef > b.entityRef ? 1 : 0,
  );
  const rows = await sql.rows<{ entity_ref: string }>(
    `INSERT INTO refresh_state
            (entity_id, entity_ref, unprocessed_entity, unprocessed_hash, location_key, next_update_at, last_discovery_at)
     SELECT gen_random_uuid(), u.entity_ref, u.entity, u.hash, u.location_key, now(), now()
       FROM jsonb_to_recordset($1::jsonb) AS u(entity_ref text, entity jsonb, hash text, location_key text)
     ON CONFLICT (entity_ref) DO NOTHING
     RETURNING entity_ref`,
    [JSON.stringify(sorted.map(toRecord))],
  );
  return new Set(rows.map((row) => row.entity_ref));
}
