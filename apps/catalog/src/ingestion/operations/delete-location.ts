import type { Sql } from '../../processing/util/sql.js';
import { LOCATION_COLUMNS, UUID, type LocationRow } from './insert-location.js';

/** Removes a registered location; undefined when there is none with this id. */
export async function deleteLocation(sql: Sql, id: string): Promise<LocationRow | undefined> {
  if (!UUID.test(id)) return undefined;
  const rows = await sql.rows<LocationRow>(
    `DELETE FROM locations WHERE id = $1::uuid RETURNING ${LOCATION_COLUMNS}`,
    [id],
  );
  return rows[0];
}
