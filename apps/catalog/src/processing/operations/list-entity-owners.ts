import type { Sql } from '../util/sql.js';
import type { IncomingReference } from './list-references-to.js';

/** Who holds an entity ref now: its row's location key and every reference pointing at it. */
export interface EntityOwners {
  entityRef: string;
  locationKey: string | null;
  references: Array<Omit<IncomingReference, 'targetEntityRef'>>;
}

/**
 * The current owner of each of `entityRefs` that has a row (no locks): used before a result is
 * hashed to tell which emitted children belong to another emitter, so that such conflicts are part
 * of the result (and a later change of owner changes the result).
 */
export async function listEntityOwners(sql: Sql, entityRefs: string[]): Promise<Map<string, EntityOwners>> {
  const owners = new Map<string, EntityOwners>();
  if (!entityRefs.length) return owners;
  const rows = await sql.rows<{
    entity_ref: string;
    location_key: string | null;
    source_key: string | null;
    source_entity_ref: string | null;
  }>(
    `SELECT s.entity_ref, s.location_key, r.source_key, r.source_entity_ref
       FROM refresh_state s
       LEFT JOIN refresh_state_references r ON r.target_entity_ref = s.entity_ref
      WHERE s.entity_ref = ANY($1::text[])
      ORDER BY s.entity_ref, r.id`,
    [[...new Set(entityRefs)]],
  );
  for (const row of rows) {
    let owner = owners.get(row.entity_ref);
    if (!owner) {
      owner = { entityRef: row.entity_ref, locationKey: row.location_key, references: [] };
      owners.set(row.entity_ref, owner);
    }
    if (row.source_key !== null || row.source_entity_ref !== null) {
      owner.references.push({ sourceKey: row.source_key, sourceEntityRef: row.source_entity_ref });
    }
  }
  return owners;
}
