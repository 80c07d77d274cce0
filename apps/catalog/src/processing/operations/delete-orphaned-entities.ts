import type { Sql } from '../util/sql.js';
import { deleteEntities } from './delete-entities.js';

/**
 * `catalog.orphanStrategy: delete`: deletes up to `limit` entities that nothing emits any more
 * (with their descendants that nothing else reaches), e.g. orphans kept while the strategy was
 * `keep`. Returns the deleted refs.
 */
export async function deleteOrphanedEntities(sql: Sql, limit = 1000): Promise<string[]> {
  const orphans = await sql.rows<{ entity_ref: string }>(
    `SELECT s.entity_ref FROM refresh_state s
      WHERE NOT EXISTS (SELECT 1 FROM refresh_state_references r WHERE r.target_entity_ref = s.entity_ref)
      ORDER BY s.entity_ref
      LIMIT $1`,
    [limit],
  );
  return deleteEntities(
    sql,
    orphans.map((row) => row.entity_ref),
    { source: 'orphan-cleanup' },
  );
}
