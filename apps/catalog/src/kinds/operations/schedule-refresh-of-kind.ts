import type { Sql } from '../../processing/util/sql.js';

/**
 * Makes every entity of `kind` (any case) due for processing after `delayMs`: after a kind was
 * registered, changed or removed, entities that failed because of it (unknown kind, schema errors)
 * and entities whose relations it defines are processed again under the new definition. The delay
 * gives every replica time to load the new definition first. Returns how many were scheduled.
 */
export async function scheduleRefreshOfKind(sql: Sql, kind: string, delayMs = 0): Promise<number> {
  return sql.count(
    `UPDATE refresh_state SET next_update_at = now() + make_interval(secs => $2::float8 / 1000)
      WHERE starts_with(entity_ref, $1)`,
    [`${kind.toLowerCase()}:`, delayMs],
  );
}
