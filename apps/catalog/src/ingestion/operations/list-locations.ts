import type { Sql } from '../../processing/util/sql.js';
import type { LocationRow } from './insert-location.js';

/** Every registered location, oldest first. */
export async function listLocations(sql: Sql): Promise<LocationRow[]> {
  return sql.rows<LocationRow>('SELECT id, type, target FROM locations ORDER BY created_at, id');
}
