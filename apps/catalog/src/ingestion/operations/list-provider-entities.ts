import type { Sql } from '../../processing/util/sql.js';

/** An entity a provider emits, with what its row holds now. */
export interface ProviderEntityState {
  entityRef: string;
  locationKey: string | null;
  unprocessedHash: string;
}

/** Everything `sourceKey` currently emits (its refresh_state_references), with each row's key and hash. */
export async function listProviderEntities(
  sql: Sql,
  sourceKey: string,
): Promise<Map<string, ProviderEntityState>> {
  const rows = await sql.rows<{ entity_ref: string; location_key: string | null; unprocessed_hash: string }>(
    `SELECT s.entity_ref, s.location_key, s.unprocessed_hash
       FROM refresh_state_references r
       JOIN refresh_state s ON s.entity_ref = r.target_entity_ref
      WHERE r.source_key = $1`,
    [sourceKey],
  );
  return new Map(
    rows.map((row) => [
      row.entity_ref,
      { entityRef: row.entity_ref, locationKey: row.location_key, unprocessedHash: row.unprocessed_hash },
    ]),
  );
}
