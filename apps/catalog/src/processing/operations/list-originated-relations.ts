import type { Sql } from '../util/sql.js';

/** A relation row, tagged with the entity whose spec implied it. */
export interface RelationRow {
  originatingEntityId: string;
  sourceEntityRef: string;
  type: string;
  targetEntityRef: string;
}

/** The relation rows each of `entityIds` originated (forward and inverse). */
export async function listOriginatedRelations(sql: Sql, entityIds: string[]): Promise<RelationRow[]> {
  if (!entityIds.length) return [];
  const rows = await sql.rows<{
    originating_entity_id: string;
    source_entity_ref: string;
    type: string;
    target_entity_ref: string;
  }>(
    `SELECT originating_entity_id, source_entity_ref, type, target_entity_ref
       FROM relations
      WHERE originating_entity_id = ANY($1::uuid[])
      ORDER BY originating_entity_id, source_entity_ref, type, target_entity_ref`,
    [entityIds],
  );
  return rows.map((row) => ({
    originatingEntityId: row.originating_entity_id,
    sourceEntityRef: row.source_entity_ref,
    type: row.type,
    targetEntityRef: row.target_entity_ref,
  }));
}
