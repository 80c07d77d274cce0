import type { Sql } from '../util/sql.js';

export interface StitchClaim {
  /**
   * The lease every claimed row now carries in `next_stitch_at`. It doubles as the claim's ticket:
   * a writer that marks the entity again moves `next_stitch_at` back to now, so a result is written
   * only while the row still holds this exact value.
   */
  ticket: Date;
  items: Array<{ entityId: string; entityRef: string }>;
}

/**
 * Claims entities whose final form must be rebuilt: rows marked at least `settleMs` ago, oldest
 * first (a mark on a row already due does not move it, so the settle time only coalesces the marks
 * of a burst: an entity whose relations arrive one batch after another is stitched once), skipping rows other transactions hold, and moves their `next_stitch_at` one lease ahead
 * in the same statement (one transaction). If this replica dies before writing, the lease expires
 * and the rows are due again. The lease is truncated to milliseconds so it survives the round trip
 * through a JavaScript Date exactly.
 */
export async function claimStitchableEntities(
  sql: Sql,
  options: { batchSize: number; leaseMs: number; settleMs?: number },
): Promise<StitchClaim | undefined> {
  const rows = await sql.rows<{ entity_id: string; entity_ref: string; next_stitch_at: Date }>(
    `WITH due AS (
       SELECT entity_id FROM refresh_state
        WHERE next_stitch_at <= now() - make_interval(secs => $3::float8 / 1000)
        ORDER BY next_stitch_at
        LIMIT $1
        FOR UPDATE SKIP LOCKED
     )
     UPDATE refresh_state r
        SET next_stitch_at = date_trunc('milliseconds', now() + make_interval(secs => $2::float8 / 1000))
       FROM due
      WHERE r.entity_id = due.entity_id
     RETURNING r.entity_id, r.entity_ref, r.next_stitch_at`,
    [options.batchSize, options.leaseMs, options.settleMs ?? 0],
  );
  if (!rows.length) return undefined;
  return {
    ticket: rows[0]!.next_stitch_at,
    items: rows.map((row) => ({ entityId: row.entity_id, entityRef: row.entity_ref })),
  };
}
