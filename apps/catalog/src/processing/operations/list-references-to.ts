import type { Sql } from '../util/sql.js';

/** One reference to an entity: from a provider (`sourceKey`) or from a parent entity. */
export interface IncomingReference {
  targetEntityRef: string;
  sourceKey: string | null;
  sourceEntityRef: string | null;
}

/** Every reference pointing at one of `targets`: who emits them. */
export async function listReferencesTo(sql: Sql, targets: string[]): Promise<IncomingReference[]> {
  if (!targets.length) return [];
  const rows = await sql.rows<{
    target_entity_ref: string;
    source_key: string | null;
    source_entity_ref: string | null;
  }>(
    `SELECT target_entity_ref, source_key, source_entity_ref
       FROM refresh_state_references
      WHERE target_entity_ref = ANY($1::text[])
      ORDER BY target_entity_ref, id`,
    [targets],
  );
  return rows.map((row) => ({
    targetEntityRef: row.target_entity_ref,
    sourceKey: row.source_key,
    sourceEntityRef: row.source_entity_ref,
  }));
}
