import type { Sql } from '../util/sql.js';

/**
 * An entity provider's `refresh({ keys })`: makes due now every entity owned by one of the
 * location keys (`url:https://…/catalog-info.yaml`), and every entity that emits such an entity
 * (the Location that reads that file), so the source is read again. Returns how many rows were due.
 */
export async function refreshByLocationKeys(sql: Sql, keys: string[]): Promise<number> {
  if (!keys.length) return 0;
  return sql.count(
    `UPDATE refresh_state s SET next_update_at = now()
      WHERE s.entity_id IN (
        SELECT entity_id FROM refresh_state WHERE location_key = ANY($1::text[])
        UNION
        SELECT p.entity_id
          FROM refresh_state c
          JOIN refresh_state_references r ON r.target_entity_ref = c.entity_ref
          JOIN refresh_state p ON p.entity_ref = r.source_entity_ref
         WHERE c.location_key = ANY($1::text[]))
        AND s.next_update_at > now()`,
    [keys],
  );
}
