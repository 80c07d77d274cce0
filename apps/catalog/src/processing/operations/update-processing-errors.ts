import type { SerializedError } from '@portal/catalog-model';
import type { Sql } from '../util/sql.js';

export interface FailedProcessing {
  entityId: string;
  errors: SerializedError[];
  resultHash: string;
}

/**
 * Stores the errors of runs that failed on the entity itself and marks the entities for stitching
 * (in the same row write, see markForStitching). The processed entity, its relations and its
 * children are left exactly as the last good run wrote them.
 */
export async function updateProcessingErrors(sql: Sql, items: FailedProcessing[]): Promise<void> {
  if (!items.length) return;
  await sql.count(
    `UPDATE refresh_state r
        SET errors = u.errors, result_hash = u.result_hash,
            next_stitch_at = CASE WHEN r.next_stitch_at <= now() THEN r.next_stitch_at ELSE now() END
       FROM jsonb_to_recordset($1::jsonb) AS u(entity_id uuid, errors jsonb, result_hash text)
      WHERE r.entity_id = u.entity_id`,
    [
      JSON.stringify(
        items.map((i) => ({ entity_id: i.entityId, errors: i.errors, result_hash: i.resultHash })),
      ),
    ],
  );
}
