import type { Sql } from '../../processing/util/sql.js';
import type { LocationSpec } from '../../processing/location-ref.js';
import { LOCATION_COLUMNS, UUID, type LocationRow } from './insert-location.js';

/** The registered location with this id, or with this `(type, target)`. */
export async function findLocation(
  sql: Sql,
  by: { id: string } | LocationSpec,
): Promise<LocationRow | undefined> {
  if ('id' in by && !UUID.test(by.id)) return undefined;
  const rows =
    'id' in by
      ? await sql.rows<LocationRow>(`SELECT ${LOCATION_COLUMNS} FROM locations WHERE id = $1::uuid`, [by.id])
      : await sql.rows<LocationRow>(
          `SELECT ${LOCATION_COLUMNS} FROM locations WHERE type = $1 AND target = $2`,
          [by.type, by.target],
        );
  return rows[0];
}
