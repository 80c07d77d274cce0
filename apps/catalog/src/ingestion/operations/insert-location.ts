import { randomUUID } from 'node:crypto';
import type { Sql } from '../../processing/util/sql.js';
import type { LocationSpec } from '../../processing/location-ref.js';

/** What a location id looks like; anything else names no location. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface LocationRow {
  id: string;
  type: string;
  target: string;
}

/** Adds a registered location; undefined when `(type, target)` is already registered. */
export async function insertLocation(sql: Sql, location: LocationSpec): Promise<LocationRow | undefined> {
  const rows = await sql.rows<LocationRow>(
    `INSERT INTO locations (id, type, target) VALUES ($1, $2, $3)
     ON CONFLICT (type, target) DO NOTHING
     RETURNING id, type, target`,
    [randomUUID(), location.type, location.target],
  );
  return rows[0];
}
