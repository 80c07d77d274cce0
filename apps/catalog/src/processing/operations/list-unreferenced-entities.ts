import type { Sql } from '../util/sql.js';

/** Those of `entityRefs` that exist and that nothing emits any more (orphans). */
export async function listUnreferencedEntities(sql: Sql, entityRefs: string[]): Promise<string[]> {
  if (!entityRefs.length) return [];
  const rows = await sql.rows<{ entity_ref: string }>(
    `SELECT s.entity_ref
       FROM refresh_state s
      WHERE s.entity_ref = ANY($1::text[])
        AND NOT EXISTS (SELECT 1 FROM refresh_state_references r WHERE r.target_entity_ref = s.entity_ref)
      ORDER BY s.entity_ref`,
    [[...new Set(entityRefs)]],
  );
  return rows.map((row) => row.entity_ref);
}
