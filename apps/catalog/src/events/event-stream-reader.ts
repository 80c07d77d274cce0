import type { DataSource } from 'typeorm';
import type { Entity } from '@portal/catalog-model';
import type { EntityEventType } from '../processing/operations/append-entity-events.js';
import { decodeEventCursor, encodeEventCursor } from './event-cursor.js';
import { eventFilterSql, type EventFilter } from './event-filter.js';
import type { StreamHorizon } from './stream-horizon.js';

/** One event of the change stream, as consumers see it. */
export interface StreamEvent {
  /** Resume after this event with it. */
  cursor: string;
  type: EntityEventType;
  entityRef: string;
  entityId: string;
  /** The final entity after the change; null for deletions. */
  entity: Entity | null;
  source: string | null;
  /** RFC 3339. */
  createdAt: string;
}

export interface StreamPage {
  events: StreamEvent[];
  /** Where the next read starts: past the events returned, and past filtered-out ones up to the horizon. */
  cursor: string;
}

interface EventRow {
  id: string;
  type: EntityEventType;
  entity_ref: string;
  entity_id: string;
  final_entity: Entity | null;
  source: string | null;
  created_at: Date;
}

export function toStreamEvent(row: EventRow): StreamEvent {
  return {
    cursor: encodeEventCursor(row.id),
    type: row.type,
    entityRef: row.entity_ref,
    entityId: row.entity_id,
    entity: row.final_entity,
    source: row.source,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

export const EVENT_COLUMNS =
  'id::text AS id, type, entity_ref, entity_id::text AS entity_id, final_entity, source, created_at';

/**
 * Reads the change stream from `entity_events`: events after a cursor, in id order (which is the
 * order of each entity's changes), never beyond the safe horizon (see StreamHorizon), so that an
 * event whose id is lower than one already returned can never commit afterwards.
 */
export class EventStreamReader {
  constructor(
    private readonly dataSource: DataSource,
    readonly horizon: StreamHorizon,
  ) {}

  /**
   * Up to `limit` events after `cursor` (InputError when malformed) up to the horizon as last
   * advanced, matching `filter`. The returned cursor continues the read.
   */
  async readAfter(cursor: string, limit: number, filter?: EventFilter): Promise<StreamPage> {
    return this.readAfterId(decodeEventCursor(cursor), limit, filter);
  }

  /** The highest event id handed out so far (committed or not); 0 when none. */
  async lastAssignedId(): Promise<bigint> {
    const [row] = (await this.dataSource.query(
      'SELECT (CASE WHEN is_called THEN last_value ELSE 0 END)::text AS id FROM entity_events_id_seq',
    )) as Array<{ id: string }>;
    return BigInt(row!.id);
  }

  async readAfterId(after: bigint, limit: number, filter?: EventFilter): Promise<StreamPage> {
    const horizon = this.horizon.value;
    if (horizon === undefined || horizon <= after) return { events: [], cursor: encodeEventCursor(after) };
    const params: unknown[] = [after.toString(), horizon.toString(), Math.max(1, limit)];
    const rows = (await this.dataSource.query(
      `SELECT ${EVENT_COLUMNS} FROM entity_events
        WHERE id > $1::bigint AND id <= $2::bigint AND ${eventFilterSql(filter, params)}
        ORDER BY entity_events.id LIMIT $3`,
      params,
    )) as EventRow[];
    const events = rows.map(toStreamEvent);
    const full = rows.length >= limit;
    return { events, cursor: full ? events[events.length - 1]!.cursor : encodeEventCursor(horizon) };
  }
}
