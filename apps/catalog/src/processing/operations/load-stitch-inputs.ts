import type { Entity, EntityRelation, SerializedError } from '@portal/catalog-model';
import type { Sql } from '../util/sql.js';

/** Everything the final form of one entity is built from. */
export interface StitchInput {
  entityId: string;
  entityRef: string;
  /** NULL until the entity has processed successfully once: such an entity is not visible. */
  processedEntity: Entity | null;
  errors: SerializedError[] | null;
  /** Whether any provider or parent still emits it; false makes it an orphan. */
  referenced: boolean;
  /** One emitter (a provider name or a parent ref, the least by name), for the event's source. */
  emitter: string | null;
  /** Outgoing relations (`source_entity_ref` = this entity, whoever originated them), distinct, sorted. */
  relations: EntityRelation[];
  previousHash: string | null;
  wasOrphan: boolean;
}

/** Reads the stitching inputs of the given entities (two statements, no locks). */
export async function loadStitchInputs(sql: Sql, entityIds: string[]): Promise<StitchInput[]> {
  if (!entityIds.length) return [];
  const rows = await sql.rows<{
    entity_id: string;
    entity_ref: string;
    processed_entity: Entity | null;
    errors: SerializedError[] | null;
    referenced: boolean;
    emitter: string | null;
    previous_hash: string | null;
    previous_orphan: string | null;
  }>(
    // Correlated lookups by key only: the plan stays index-driven whatever the table statistics
    // say, and the previous final entity is read (detoasted) only for an orphan.
    `SELECT r.entity_id, r.entity_ref, r.processed_entity, r.errors, x.emitter IS NOT NULL AS referenced,
            x.emitter, f.hash AS previous_hash,
            CASE WHEN x.emitter IS NULL
                 THEN (SELECT final_entity #>> '{metadata,annotations,backstage.io/orphan}'
                         FROM final_entities p WHERE p.entity_id = r.entity_id) END AS previous_orphan
       FROM refresh_state r
       LEFT JOIN LATERAL (SELECT min(coalesce(x.source_key, x.source_entity_ref)) AS emitter
                            FROM refresh_state_references x
                           WHERE x.target_entity_ref = r.entity_ref) x ON true
       LEFT JOIN LATERAL (SELECT hash FROM final_entities f WHERE f.entity_id = r.entity_id) f ON true
      WHERE r.entity_id = ANY($1::uuid[])`,
    [entityIds],
  );
  const refs = rows.map((row) => row.entity_ref);
  const relationRows = await sql.rows<{ source_entity_ref: string; type: string; target_entity_ref: string }>(
    `SELECT DISTINCT source_entity_ref, type, target_entity_ref
       FROM relations
      WHERE source_entity_ref = ANY($1::text[])
      ORDER BY source_entity_ref, type, target_entity_ref`,
    [refs],
  );
  const relations = new Map<string, EntityRelation[]>();
  for (const row of relationRows) {
    let list = relations.get(row.source_entity_ref);
    if (!list) relations.set(row.source_entity_ref, (list = []));
    list.push({ type: row.type, targetRef: row.target_entity_ref });
  }
  return rows.map((row) => ({
    entityId: row.entity_id,
    entityRef: row.entity_ref,
    processedEntity: row.processed_entity,
    errors: row.errors,
    referenced: row.referenced,
    emitter: row.emitter,
    relations: relations.get(row.entity_ref) ?? [],
    previousHash: row.previous_hash,
    wasOrphan: row.previous_orphan === 'true',
  }));
}
