import type { Entity, SerializedError } from '@portal/catalog-model';
import type { Sql } from '../util/sql.js';

export interface SuccessfulProcessing {
  entityId: string;
  processedEntity: Entity;
  errors: SerializedError[];
  /** NULL makes the next run write its result again even when nothing changed. */
  resultHash: string | null;
}

/**
 * Stores a good run's processed entity, its (non-fatal) errors and its result hash, and marks the
 * entities for stitching in the same row write (see markForStitching).
 */
export async function updateProcessedEntities(sql: Sql, items: SuccessfulProcessing[]): Promise<void> {
  if (!items.length) return;
  await sql.count(
    `UPDATE refresh_state r
        SET processed_entity = u.processed_entity, errors = u.errors, result_hash = u.result_hash,
            next_stitch_at = CASE WHEN r.next_stitch_at <= now() THEN r.next_stitch_at ELSE now() END
       FROM jsonb_to_recordset($1::jsonb) AS u(entity_id uuid, processed_entity jsonb, errors jsonb, result_hash text)
      WHERE r.entity_id = u.entity_id`,
    [
      JSON.stringify(
        items.map((i) => ({
          entity_id: i.entityId,
          processed_entity: i.processedEntity,
          errors: i.errors.length ? i.errors : null,
          result_hash: i.resultHash,
        })),
      ),
    ],
  );
}
