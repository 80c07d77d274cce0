// The stitching loop of one replica: claim entities marked for stitching, rebuild, write changes.
import type { DataSource } from 'typeorm';
import type { Logger } from '@portal/platform';
import type { EngineStats } from './engine-stats.js';
import { claimStitchableEntities } from './operations/claim-stitchable-entities.js';
import { loadStitchInputs } from './operations/load-stitch-inputs.js';
import { writeStitchedEntities, type StitchedEntity } from './operations/write-stitched-entities.js';
import { buildFinalForm, toStitchedEntity } from './stitch-entity.js';
import { describeDatabaseError, inTransaction, sqlState, withConnection } from './util/sql.js';

export interface StitchingLoopOptions {
  dataSource: DataSource;
  logger: Logger;
  batchSize: number;
  leaseMs: number;
  /**
   * Marks younger than this are left to settle (see claimStitchableEntities); a function is asked
   * before every claim (the engine settles longer while a bulk change is being processed).
   */
  settleMs?: number | (() => number);
  stats: EngineStats;
}

/**
 * Claim (lease + ticket in `next_stitch_at`), read the inputs, build each final entity, and in
 * one transaction write those whose hash changed, with their outbox events, for the rows that
 * still hold the ticket. See README.md.
 */
export class StitchingLoop {
  constructor(private readonly options: StitchingLoopOptions) {}

  private settleMs(): number {
    const { settleMs } = this.options;
    return typeof settleMs === 'function' ? settleMs() : (settleMs ?? 0);
  }

  /**
   * Stitches one claimed batch; returns how many entities were claimed. `settleMs` overrides the
   * configured settle time (0 stitches every mark at once).
   */
  async stitchOnce(options: { settleMs?: number } = {}): Promise<number> {
    const { dataSource, logger, stats } = this.options;
    const claim = await withConnection(dataSource, (sql) =>
      claimStitchableEntities(sql, {
        batchSize: this.options.batchSize,
        leaseMs: this.options.leaseMs,
        settleMs: options.settleMs ?? this.settleMs(),
      }),
    );
    if (!claim) return 0;
    const ids = claim.items.map((item) => item.entityId);
    const inputs = await withConnection(dataSource, (sql) => loadStitchInputs(sql, ids));
    const changed: StitchedEntity[] = [];
    for (const input of inputs) {
      const form = buildFinalForm(input);
      if (!form || form.hash === input.previousHash) continue;
      try {
        changed.push(toStitchedEntity(input, form));
      } catch (error) {
        // The search view refuses keys that differ only in case; keep serving the previous version.
        logger.error(
          { entityRef: input.entityRef, err: (error as Error).message },
          'entity cannot be stitched',
        );
      }
    }
    const settled = await inTransaction(
      dataSource,
      (sql) => writeStitchedEntities(sql, claim.ticket, ids, changed),
      {
        onRetry: (error) => {
          stats.retries++;
          if (sqlState(error) === '40P01') stats.deadlocks++;
          logger.debug({ err: describeDatabaseError(error) }, 'retrying a stitch write');
        },
      },
    );
    stats.stitchClaimed += ids.length;
    stats.stitched += changed.filter((item) => settled.has(item.entityId)).length;
    return ids.length;
  }
}
