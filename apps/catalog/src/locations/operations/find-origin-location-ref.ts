import type { Sql } from '../../processing/util/sql.js';

/**
 * The `backstage.io/managed-by-origin-location` annotation of a visible entity: `{found: false}`
 * when there is no such entity, `{found: true, originRef: undefined}` when it has no annotation.
 */
export async function findOriginLocationRef(
  sql: Sql,
  entityRef: string,
): Promise<{ found: false } | { found: true; originRef: string | undefined }> {
  const rows = await sql.rows<{ origin: string | null }>(
    `SELECT final_entity -> 'metadata' -> 'annotations' ->> 'backstage.io/managed-by-origin-location' AS origin
       FROM final_entities WHERE entity_ref = $1`,
    [entityRef.toLowerCase()],
  );
  if (!rows.length) return { found: false };
  return { found: true, originRef: rows[0]!.origin ?? undefined };
}
