import type { Entity } from '@portal/catalog-model';
import type { Sql } from '../../processing/util/sql.js';

export interface AncestryItem {
  entity: Entity;
  parentEntityRefs: string[];
}

/** How many generations up the walk goes at most (Location chains are short). */
const MAX_GENERATIONS = 100;

/**
 * Backstage's entity ancestry: the entity first, then every visible entity that emitted it, and
 * their emitters in turn (refresh_state_references up via `source_entity_ref`), each once. Parents
 * that are not visible (not stitched yet) are left out, as in Backstage. Undefined when the entity
 * itself is not visible.
 */
export async function listEntityAncestry(
  sql: Sql,
  entityRef: string,
): Promise<{ rootEntityRef: string; items: AncestryItem[] } | undefined> {
  const root = await sql.rows<{ entity_ref: string; entity: Entity }>(
    'SELECT entity_ref, final_entity AS entity FROM final_entities WHERE entity_ref = $1',
    [entityRef.toLowerCase()],
  );
  if (!root.length) return undefined;
  const rootEntityRef = root[0]!.entity_ref;
  const items = new Map<string, AncestryItem>([
    [rootEntityRef, { entity: root[0]!.entity, parentEntityRefs: [] }],
  ]);
  let generation = [rootEntityRef];
  for (let depth = 0; generation.length && depth < MAX_GENERATIONS; depth++) {
    const rows = await sql.rows<{ child: string; parent: string; entity: Entity }>(
      `SELECT r.target_entity_ref AS child, fe.entity_ref AS parent, fe.final_entity AS entity
         FROM refresh_state_references r
         JOIN final_entities fe ON fe.entity_ref = r.source_entity_ref
        WHERE r.target_entity_ref = ANY($1::text[])
        ORDER BY r.target_entity_ref, fe.entity_ref`,
      [generation],
    );
    const next: string[] = [];
    for (const row of rows) {
      items.get(row.child)!.parentEntityRefs.push(row.parent);
      if (!items.has(row.parent)) {
        items.set(row.parent, { entity: row.entity, parentEntityRefs: [] });
        next.push(row.parent);
      }
    }
    generation = next;
  }
  return { rootEntityRef, items: [...items.values()] };
}
