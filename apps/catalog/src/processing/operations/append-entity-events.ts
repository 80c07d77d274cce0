import type { Entity } from '@portal/catalog-model';
import type { Sql } from '../util/sql.js';

export type EntityEventType = 'upserted' | 'deleted' | 'orphaned' | 'error';

export interface EntityEvent {
  entityId: string;
  entityRef: string;
  type: EntityEventType;
  /** The entity as served after the change; none for deletions. */
  finalEntity: Entity | null;
  /** Where the change came from: a location ref, a provider name or a parent entity ref. */
  source: string | null;
}

/**
 * Appends to the outbox / entity history, in the caller's transaction, in the order given. The
 * caller holds the entity's refresh_state row lock, so events of one entity are ordered.
 */
export async function appendEntityEvents(sql: Sql, events: EntityEvent[]): Promise<void> {
  if (!events.length) return;
  await sql.count(
    `INSERT INTO entity_events (entity_id, entity_ref, type, final_entity, source)
     SELECT u.entity_id, u.entity_ref, u.type, u.final_entity, u.source
       FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(event, n),
            jsonb_to_record(e.event) AS u(entity_id uuid, entity_ref text, type text, final_entity jsonb, source text)
      ORDER BY e.n`,
    [
      JSON.stringify(
        events.map((e) => ({
          entity_id: e.entityId,
          entity_ref: e.entityRef,
          type: e.type,
          final_entity: e.finalEntity,
          source: e.source,
        })),
      ),
    ],
  );
}
