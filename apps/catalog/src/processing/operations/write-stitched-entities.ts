import type { Entity } from '@portal/catalog-model';
import type { SearchDocument, SearchOriginals } from '../../entities/query/search-document.js';
import type { Sql } from '../util/sql.js';
import type { EntityEventType } from './append-entity-events.js';

/** A final entity whose hash changed, ready to be served. */
export interface StitchedEntity {
  entityId: string;
  entityRef: string;
  kind: string;
  namespace: string;
  name: string;
  finalEntity: Entity;
  search: SearchDocument;
  searchOriginal: SearchOriginals;
  hash: string;
  eventType: EntityEventType;
  eventSource: string | null;
}

/**
 * Finishes a stitch claim in one transaction. Only rows still holding the claim's ticket (nobody
 * marked them again meanwhile, the lease did not expire into another claim) are written, locked in
 * entity_ref order: their changed final entities are upserted together with one outbox event each,
 * and their `next_stitch_at` is cleared. Rows that lost the ticket are left due; the newer state
 * is stitched by the next claim. Returns the ids that were settled.
 */
export async function writeStitchedEntities(
  sql: Sql,
  ticket: Date,
  claimedIds: string[],
  changed: StitchedEntity[],
): Promise<Set<string>> {
  if (!claimedIds.length) return new Set();
  const held = await sql.rows<{ entity_id: string }>(
    `SELECT entity_id FROM refresh_state
      WHERE entity_id = ANY($1::uuid[]) AND next_stitch_at = $2::timestamptz
      ORDER BY entity_ref
        FOR UPDATE`,
    [claimedIds, ticket],
  );
  const settled = new Set(held.map((row) => row.entity_id));
  if (!settled.size) return settled;
  const writes = changed.filter((item) => settled.has(item.entityId));
  if (writes.length) {
    // One parameter for the whole batch, read once: each final entity is upserted and its event
    // appended by the same statement.
    await sql.count(
      `WITH input AS MATERIALIZED (
         SELECT * FROM jsonb_to_recordset($1::jsonb)
           AS u(entity_id uuid, entity_ref text, kind text, namespace text, name text, final_entity jsonb,
                search jsonb, search_original jsonb, hash text, event_type text, event_source text)
       ),
       upserted AS (
         INSERT INTO final_entities
                (entity_id, entity_ref, kind, namespace, name, final_entity, search, search_original, hash, stitched_at)
         SELECT entity_id, entity_ref, kind, namespace, name, final_entity, search, search_original, hash, now()
           FROM input
         ON CONFLICT (entity_id) DO UPDATE
            SET entity_ref = excluded.entity_ref, kind = excluded.kind, namespace = excluded.namespace,
                name = excluded.name, final_entity = excluded.final_entity, search = excluded.search,
                search_original = excluded.search_original, hash = excluded.hash, stitched_at = excluded.stitched_at
         RETURNING entity_id
       )
       INSERT INTO entity_events (entity_id, entity_ref, type, final_entity, source)
       SELECT i.entity_id, i.entity_ref, i.event_type, i.final_entity, i.event_source
         FROM input i JOIN upserted USING (entity_id)
        ORDER BY i.entity_ref`,
      [
        JSON.stringify(
          writes.map((w) => ({
            entity_id: w.entityId,
            entity_ref: w.entityRef,
            kind: w.kind,
            namespace: w.namespace,
            name: w.name,
            final_entity: w.finalEntity,
            search: w.search,
            search_original: w.searchOriginal,
            hash: w.hash,
            event_type: w.eventType,
            event_source: w.eventSource,
          })),
        ),
      ],
    );
  }
  await sql.count('UPDATE refresh_state SET next_stitch_at = NULL WHERE entity_id = ANY($1::uuid[])', [
    [...settled],
  ]);
  return settled;
}
