import type { Sql } from '../../processing/util/sql.js';
import { LOCATION_COLUMNS, type LocationRow } from './insert-location.js';

/** Every registered location, oldest first. */
export async function listLocations(sql: Sql): Promise<LocationRow[]> {
  return sql.rows<LocationRow>(`SELECT ${LOCATION_COLUMNS} FROM locations ORDER BY created_at, id`);
}
