import { ConflictError } from '@portal/platform';
import type { Sql } from '../../processing/util/sql.js';
import type { LocationSpec } from '../../processing/location-ref.js';
import { LOCATION_COLUMNS, UUID, type LocationRow } from './insert-location.js';

/**
 * Changes the type and target of a registered location; returns the row before and after, or
 * undefined when there is none with this id. Another location with the same `(type, target)` is a
 * ConflictError. The entity ref stays: the location's entity keeps its ref, uid and relations.
 */
export async function updateLocation(
  sql: Sql,
  id: string,
  location: LocationSpec,
): Promise<{ before: LocationRow; after: LocationRow } | undefined> {
  if (!UUID.test(id)) return undefined;
  const before = (
    await sql.rows<LocationRow>(`SELECT ${LOCATION_COLUMNS} FROM locations WHERE id = $1::uuid FOR UPDATE`, [
      id,
    ])
  )[0];
  if (!before) return undefined;
  const clash = await sql.rows<{ id: string }>(
    'SELECT id FROM locations WHERE type = $1 AND target = $2 AND id <> $3::uuid',
    [location.type, location.target, id],
  );
  if (clash.length) throw new ConflictError(`Location ${location.type}:${location.target} already exists`);
  try {
    const after = (
      await sql.rows<LocationRow>(
        `UPDATE locations SET type = $2, target = $3 WHERE id = $1::uuid RETURNING ${LOCATION_COLUMNS}`,
        [id, location.type, location.target],
      )
    )[0]!;
    return { before, after };
  } catch (error) {
    // A concurrent insert of the same (type, target) got there first.
    if ((error as { code?: string; driverError?: { code?: string } }).driverError?.code === '23505') {
      throw new ConflictError(`Location ${location.type}:${location.target} already exists`);
    }
    throw error;
  }
}
