import type { DataSource } from 'typeorm';
import { inTransaction } from '../processing/util/sql.js';

/** Held (per transaction) by the replica sweeping; the others skip their turn. */
const LOCK_KEY = 'portal-catalog-entity-events-retention';

/**
 * Deletes events older than the retention, in short transactions of `batchSize` rows (a long one
 * would hold the change stream's horizon back), one replica at a time (an advisory lock taken per
 * batch: a replica that cannot take it stops its sweep). The latest event of an entity is kept
 * however old, so its history always shows the current version; only when that latest event is a
 * deletion does the entity's history go once it is older than the retention.
 */
export class EventRetention {
  constructor(
    private readonly dataSource: DataSource,
    private readonly batchSize = 5000,
  ) {}

  /** Returns how many events were deleted (0 when another replica holds the sweep). */
  async sweep(retentionMs: number): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = await inTransaction(this.dataSource, async (sql) => {
        const [lock] = await sql.rows<{ locked: boolean }>(
          'SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked',
          [LOCK_KEY],
        );
        if (!lock?.locked) return -1;
        return sql.count(
          `DELETE FROM entity_events WHERE id IN (
             SELECT e.id FROM entity_events e
              WHERE e.created_at < now() - make_interval(secs => $1::float8 / 1000)
                AND (e.type = 'deleted'
                     OR EXISTS (SELECT 1 FROM entity_events n WHERE n.entity_ref = e.entity_ref AND n.id > e.id))
              ORDER BY e.id
              LIMIT $2)`,
          [retentionMs, this.batchSize],
        );
      });
      if (deleted < 0) return total;
      total += deleted;
      if (deleted < this.batchSize) return total;
    }
  }
}
