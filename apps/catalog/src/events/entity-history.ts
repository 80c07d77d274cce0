import type { DataSource } from 'typeorm';
import { InputError, NotFoundError } from '@portal/platform';
import type { Entity } from '@portal/catalog-model';
import type { EntityEventType } from '../processing/operations/append-entity-events.js';
import { decodeEventCursor, encodeEventCursor } from './event-cursor.js';

export interface HistoryItem {
  /** The event's cursor: also a position in the change stream. */
  id: string;
  type: EntityEventType;
  createdAt: string;
  source: string | null;
  entityId: string;
  /** The entity as served after this change; null for a deletion. */
  entity: Entity | null;
}

export interface HistoryPage {
  items: HistoryItem[];
  /** Pass as `before` for the next (older) page; absent on the last page. */
  pageInfo: { nextBefore?: string };
}

export const HISTORY_DEFAULT_LIMIT = 20;
export const HISTORY_MAX_LIMIT = 100;

interface HistoryRow {
  id: string;
  type: EntityEventType;
  entity_id: string;
  final_entity: Entity | null;
  source: string | null;
  created_at: Date;
}

/**
 * Past versions of one entity, newest first, from `entity_events` (kept per the retention, and
 * always the latest one of a live entity).
 */
export class EntityHistory {
  constructor(private readonly dataSource: DataSource) {}

  /** NotFoundError when the entity never had an event; InputError for a bad limit or `before`. */
  async list(
    kind: string,
    namespace: string,
    name: string,
    options: { limit?: number; before?: string } = {},
  ): Promise<HistoryPage> {
    const limit = options.limit ?? HISTORY_DEFAULT_LIMIT;
    if (!Number.isInteger(limit) || limit < 1 || limit > HISTORY_MAX_LIMIT) {
      throw new InputError(`Invalid limit, must be an integer from 1 to ${HISTORY_MAX_LIMIT}`);
    }
    const before = options.before === undefined ? undefined : decodeEventCursor(options.before, 'before');
    const ref = `${kind}:${namespace}/${name}`.toLowerCase();
    const rows = (await this.dataSource.query(
      `SELECT id::text AS id, type, entity_id::text AS entity_id, final_entity, source, created_at
         FROM entity_events
        WHERE entity_ref = $1 AND ($2::bigint IS NULL OR id < $2::bigint)
        ORDER BY entity_events.id DESC LIMIT $3`,
      [ref, before?.toString() ?? null, limit + 1],
    )) as HistoryRow[];
    if (!rows.length) {
      const [any] = (await this.dataSource.query(
        'SELECT 1 FROM entity_events WHERE entity_ref = $1 LIMIT 1',
        [ref],
      )) as unknown[];
      if (!any) throw new NotFoundError(`No history for an entity named '${kind}:${namespace}/${name}'`);
    }
    const items = rows.slice(0, limit).map((row) => ({
      id: encodeEventCursor(row.id),
      type: row.type,
      createdAt: new Date(row.created_at).toISOString(),
      source: row.source,
      entityId: row.entity_id,
      entity: row.final_entity,
    }));
    return {
      items,
      pageInfo: rows.length > limit ? { nextBefore: items[items.length - 1]!.id } : {},
    };
  }
}
