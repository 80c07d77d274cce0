import { randomUUID } from 'node:crypto';
import type { Sql } from '../../processing/util/sql.js';
import type { LocationSpec } from '../../processing/location-ref.js';
import { locationEntityRef, locationEntityRefOfId } from '../location-entity.js';

/** What a location id looks like; anything else names no location. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface LocationRow {
  id: string;
  type: string;
  target: string;
  /** The ref of the location's Location entity (`location_entity_ref`): fixed at registration. */
  entityRef: string;
}

/** The columns of a LocationRow, for SELECT and RETURNING. */
export const LOCATION_COLUMNS = 'id, type, target, location_entity_ref AS "entityRef"';

const isEntityRefClash = (error: unknown): boolean => {
  const driverError = (error as { driverError?: { code?: string; constraint?: string } }).driverError;
  return driverError?.code === '23505' && driverError.constraint === 'locations_entity_ref_unique';
};

/**
 * Adds a registered location; undefined when `(type, target)` is already registered. Its entity
 * ref is Backstage's `generated-<sha1("type:target")>`, unless a location that was moved away from
 * this type and target still holds that ref: then one derived from the new id.
 */
export async function insertLocation(sql: Sql, location: LocationSpec): Promise<LocationRow | undefined> {
  const id = randomUUID();
  const natural = locationEntityRef(location);
  const [holder] = await sql.rows<{ id: string }>('SELECT id FROM locations WHERE location_entity_ref = $1', [
    natural,
  ]);
  const insert = async (entityRef: string) =>
    (
      await sql.rows<LocationRow>(
        `INSERT INTO locations (id, type, target, location_entity_ref) VALUES ($1, $2, $3, $4)
         ON CONFLICT (type, target) DO NOTHING
         RETURNING ${LOCATION_COLUMNS}`,
        [id, location.type, location.target, entityRef],
      )
    )[0];
  if (holder) return insert(locationEntityRefOfId(id));
  try {
    return await insert(natural);
  } catch (error) {
    // Taken since the check by a concurrent move (outside a transaction, as this runs).
    if (isEntityRefClash(error)) return insert(locationEntityRefOfId(id));
    throw error;
  }
}
