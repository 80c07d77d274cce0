import type { Sql } from '../util/sql.js';

/**
 * Asks for the entities' final form to be rebuilt: `next_stitch_at = now()`. A row already due is
 * left alone (no write); a row a stitcher holds (lease in the future) is pulled back to now, which
 * also voids that stitcher's claim so the newer state gets stitched. Rows are locked in entity_ref
 * order like every other writer's.
 */
export async function markForStitching(sql: Sql, entityRefs: Iterable<string>): Promise<number> {
  const refs = [...new Set(entityRefs)].sort();
  if (!refs.length) return 0;
  return sql.count(
    `UPDATE refresh_state SET next_stitch_at = now()
      WHERE entity_id IN (
        SELECT entity_id FROM refresh_state
         WHERE entity_ref = ANY($1::text[]) AND (next_stitch_at IS NULL OR next_stitch_at > now())
         ORDER BY entity_ref
           FOR UPDATE)`,
    [refs],
  );
}
