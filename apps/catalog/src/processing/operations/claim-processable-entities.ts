import type { Entity, SerializedError } from '@portal/catalog-model';
import type { Sql } from '../util/sql.js';

/** A refresh_state row claimed for processing. */
export interface ClaimedEntity {
  entityId: string;
  entityRef: string;
  unprocessedEntity: Entity;
  resultHash: string | null;
  locationKey: string | null;
  errors: SerializedError[] | null;
}

export interface ClaimOptions {
  batchSize: number;
  /** The claim lasts (and the next refresh comes) this many seconds from now, at least... */
  intervalSeconds: number;
  /** ...plus up to this many seconds more, per row at random, to spread the next refreshes. */
  jitterSeconds?: number;
}

/**
 * Claims due entities: the rows whose `next_update_at` has passed, oldest first, skipping rows
 * another transaction holds, and moves their `next_update_at` one processing interval ahead in the
 * same statement (one transaction). The new `next_update_at` is both the next scheduled refresh and
 * the claim's lease: if this replica dies before writing a result, the rows simply become due again
 * and another replica takes them.
 */
export async function claimProcessableEntities(sql: Sql, options: ClaimOptions): Promise<ClaimedEntity[]> {
  const rows = await sql.rows<{
    entity_id: string;
    entity_ref: string;
    unprocessed_entity: Entity;
    result_hash: string | null;
    location_key: string | null;
    errors: SerializedError[] | null;
  }>(
    `WITH due AS (
       SELECT entity_id FROM refresh_state
        WHERE next_update_at <= now()
        ORDER BY next_update_at
        LIMIT $1
        FOR UPDATE SKIP LOCKED
     )
     UPDATE refresh_state r
        SET next_update_at = now() + make_interval(secs => $2 + random() * $3)
       FROM due
      WHERE r.entity_id = due.entity_id
     RETURNING r.entity_id, r.entity_ref, r.unprocessed_entity, r.result_hash, r.location_key, r.errors`,
    [options.batchSize, options.intervalSeconds, options.jitterSeconds ?? 0],
  );
  return rows.map((row) => ({
    entityId: row.entity_id,
    entityRef: row.entity_ref,
    unprocessedEntity: row.unprocessed_entity,
    resultHash: row.result_hash,
    locationKey: row.location_key,
    errors: row.errors,
  }));
}
