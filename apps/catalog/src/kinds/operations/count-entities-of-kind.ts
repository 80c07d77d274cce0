import type { Sql } from '../../processing/util/sql.js';

export interface KindEntityCount {
  /** Entities the catalog holds (refresh_state), processed or not, visible or not. */
  known: number;
  /** Of those, the ones served (final_entities). */
  visible: number;
}

/** How many entities of `kind` (any case) the catalog holds. */
export async function countEntitiesOfKind(sql: Sql, kind: string): Promise<KindEntityCount> {
  const [row] = await sql.rows<{ known: string; visible: string }>(
    `SELECT (SELECT count(*) FROM refresh_state WHERE starts_with(entity_ref, $1)) AS known,
            (SELECT count(*) FROM final_entities WHERE kind = $2) AS visible`,
    [`${kind.toLowerCase()}:`, kind.toLowerCase()],
  );
  return { known: Number(row?.known ?? 0), visible: Number(row?.visible ?? 0) };
}
