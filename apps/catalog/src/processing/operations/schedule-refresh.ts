import { NotFoundError } from '@portal/platform';
import type { Sql } from '../util/sql.js';

/**
 * `POST /refresh`: makes the entity due for processing now, together with the nearest Location
 * it descends from (following who emitted it upwards), so that its source file is read again too,
 * as Backstage's refresh service does. Throws NotFoundError for an unknown entity.
 */
export async function scheduleRefresh(sql: Sql, entityRef: string): Promise<string[]> {
  const rows = await sql.rows<{ entity_ref: string }>(
    `WITH RECURSIVE ancestors(entity_ref, depth) AS (
       SELECT entity_ref, 0 FROM refresh_state WHERE entity_ref = $1
       UNION
       SELECT r.source_entity_ref, a.depth + 1
         FROM ancestors a JOIN refresh_state_references r ON r.target_entity_ref = a.entity_ref
        WHERE r.source_entity_ref IS NOT NULL AND a.depth < 50
     ),
     chosen AS (
       SELECT $1::text AS entity_ref WHERE EXISTS (SELECT 1 FROM ancestors)
       UNION
       (SELECT entity_ref FROM ancestors WHERE depth > 0 AND entity_ref LIKE 'location:%' ORDER BY depth LIMIT 1)
     )
     UPDATE refresh_state s SET next_update_at = now()
       FROM chosen c
      WHERE s.entity_ref = c.entity_ref
     RETURNING s.entity_ref`,
    [entityRef],
  );
  if (!rows.length) throw new NotFoundError(`No entity ${entityRef}`);
  return rows.map((row) => row.entity_ref).sort();
}
