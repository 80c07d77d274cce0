import type { Sql } from '../../processing/util/sql.js';

/**
 * Makes the entities of these kinds (any case) whose last processing failed due for processing
 * now. A replica calls it after it loaded a change of those kinds: an entity that failed because
 * it was processed before the replica knew the kind (unknown kind, old schema) is tried again by
 * replicas that know it. Returns how many were scheduled.
 */
export async function scheduleRefreshOfFailed(sql: Sql, kinds: string[]): Promise<number> {
  if (!kinds.length) return 0;
  return sql.count(
    `UPDATE refresh_state SET next_update_at = now()
      WHERE errors IS NOT NULL AND errors NOT IN ('[]'::jsonb, 'null'::jsonb)
        AND split_part(entity_ref, ':', 1) = ANY($1::text[])
        AND next_update_at > now()`,
    [kinds.map((kind) => kind.toLowerCase())],
  );
}
