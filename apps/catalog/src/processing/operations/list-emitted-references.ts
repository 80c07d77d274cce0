import type { Sql } from '../util/sql.js';

/** A child a parent entity emits, with the location key its row has now. */
export interface EmittedReference {
  sourceEntityRef: string;
  targetEntityRef: string;
  targetLocationKey: string | null;
}

/** The children each of `parents` currently emits (refresh_state_references by source_entity_ref). */
export async function listEmittedReferences(sql: Sql, parents: string[]): Promise<EmittedReference[]> {
  if (!parents.length) return [];
  const rows = await sql.rows<{
    source_entity_ref: string;
    target_entity_ref: string;
    location_key: string | null;
  }>(
    `SELECT r.source_entity_ref, r.target_entity_ref, s.location_key
       FROM refresh_state_references r
       JOIN refresh_state s ON s.entity_ref = r.target_entity_ref
      WHERE r.source_entity_ref = ANY($1::text[])
      ORDER BY r.source_entity_ref, r.target_entity_ref`,
    [parents],
  );
  return rows.map((row) => ({
    sourceEntityRef: row.source_entity_ref,
    targetEntityRef: row.target_entity_ref,
    targetLocationKey: row.location_key,
  }));
}
