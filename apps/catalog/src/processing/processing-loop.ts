// The processing loop of one replica: claim due entities, process them, write what changed.
import type { DataSource } from 'typeorm';
import type { Logger } from '@portal/platform';
import type { EngineSettings } from './engine-settings.js';
import type { EngineStats } from './engine-stats.js';
import type { EntityProcessor } from './entity-processor.js';
import { claimProcessableEntities, type ClaimedEntity } from './operations/claim-processable-entities.js';
import { listEntityOwners } from './operations/list-entity-owners.js';
import { markForStitching } from './operations/mark-for-stitching.js';
import { updateProcessingErrors } from './operations/update-processing-errors.js';
import { withoutConflicts } from './ownership.js';
import { resultHashOf } from './result-hash.js';
import { toSerializedError, type ProcessingResult } from './types.js';
import { mapConcurrent } from './util/concurrency.js';
import {
  describeDatabaseError,
  inTransaction,
  isDataError,
  sqlState,
  withConnection,
  type TransactionOptions,
} from './util/sql.js';
import { writeProcessingResults, type ProcessedItem } from './write-processing-results.js';

/** Rows (entities plus the children they emit) a processing write takes at most, roughly. */
const WRITE_CHUNK_ROWS = 2000;

export interface ProcessingLoopOptions {
  dataSource: DataSource;
  processor: EntityProcessor;
  logger: Logger;
  settings: Pick<
    EngineSettings,
    'batchSize' | 'concurrency' | 'processingIntervalSeconds' | 'processingJitterSeconds' | 'orphanStrategy'
  >;
  stats: EngineStats;
  /** Called after results were written (the engine wakes its stitcher). */
  onWritten?: () => void;
  /** Called as each entity finishes (liveness progress). */
  onProgress?: () => void;
}

/**
 * One batch at a time: claim (one statement: `SELECT … FOR UPDATE SKIP LOCKED` + the lease
 * update), process outside any transaction with bounded concurrency, then write every changed
 * result in one transaction. A result whose hash equals the stored one writes nothing.
 */
export class ProcessingLoop {
  private lastBulkWriteAt = -Infinity;

  constructor(private readonly options: ProcessingLoopOptions) {}

  /**
   * Whether this loop is in the middle of a bulk change (an initial ingestion, a big location
   * changing): its last batch, less than `withinMs` ago, changed at least half of its entities.
   */
  isBulkWriting(withinMs: number): boolean {
    return performance.now() - this.lastBulkWriteAt < withinMs;
  }

  /** Processes one claimed batch; returns how many entities were claimed (0 when none were due). */
  async processOnce(): Promise<number> {
    const { dataSource, settings, stats } = this.options;
    const claimed = await withConnection(dataSource, (sql) =>
      claimProcessableEntities(sql, {
        batchSize: settings.batchSize,
        intervalSeconds: settings.processingIntervalSeconds,
        jitterSeconds: settings.processingJitterSeconds,
      }),
    );
    if (!claimed.length) {
      this.lastBulkWriteAt = -Infinity;
      return 0;
    }
    // Results are written in chunks as they come in, each chunk bounded by the rows it writes: a
    // batch of Locations that each bring a thousand entities neither waits for the slowest read
    // nor holds every child in memory, nor writes them all in one transaction. Workers wait while
    // a chunk is written (backpressure).
    let pending: Array<{ item: ClaimedEntity; result: ProcessingResult }> = [];
    let pendingRows = 0;
    let changedCount = 0;
    let writing: Promise<void> = Promise.resolve();
    const flush = (): Promise<void> => {
      const chunk = pending;
      pending = [];
      pendingRows = 0;
      if (chunk.length) {
        writing = writing.then(async () => {
          changedCount += await this.writeChunk(
            chunk.map((c) => c.item),
            chunk.map((c) => c.result),
          );
        });
      }
      return writing;
    };
    try {
      await mapConcurrent(claimed, settings.concurrency, async (item) => {
        const result = await this.processOne(item);
        this.options.onProgress?.();
        pending.push({ item, result });
        pendingRows += 1 + (result.ok ? result.children.length : 0);
        if (pendingRows >= WRITE_CHUNK_ROWS) await flush();
      });
    } finally {
      // Whatever was processed is written, even when a write failed (the loop then backs off).
      await flush();
    }
    stats.processed += claimed.length;
    // A bulk change lasts as long as batches keep changing; it ends with the first quiet batch.
    this.lastBulkWriteAt = changedCount * 2 >= settings.batchSize ? performance.now() : -Infinity;
    return claimed.length;
  }

  /** Checks ownership, hashes and writes the results that changed; returns how many did. */
  private async writeChunk(claimed: ClaimedEntity[], results: ProcessingResult[]): Promise<number> {
    const { stats } = this.options;
    const checked = await this.withOwnership(claimed, results);
    const changed: ProcessedItem[] = [];
    claimed.forEach((item, index) => {
      const result = checked[index]!;
      const resultHash = resultHashOf(result);
      if (resultHash === item.resultHash) stats.unchanged++;
      else changed.push({ entityId: item.entityId, entityRef: item.entityRef, result, resultHash });
    });
    if (changed.length) await this.write(changed);
    return changed.length;
  }

  private async processOne(item: ClaimedEntity): Promise<ProcessingResult> {
    try {
      return await this.options.processor.process(item.unprocessedEntity, item.entityRef);
    } catch (error) {
      this.options.logger.warn(
        { entityRef: item.entityRef, err: (error as Error).message },
        'processing threw',
      );
      return { ok: false, errors: [toSerializedError(error)] };
    }
  }

  /** Turns children another emitter owns into errors before hashing (see ownership.ts). */
  private async withOwnership(
    claimed: ClaimedEntity[],
    results: ProcessingResult[],
  ): Promise<ProcessingResult[]> {
    const childRefs = results.flatMap((r) => (r.ok ? r.children.map((c) => c.entityRef) : []));
    if (!childRefs.length) return results;
    const owners = await withConnection(this.options.dataSource, (sql) => listEntityOwners(sql, childRefs));
    return results.map((result, index) => withoutConflicts(result, claimed[index]!.entityRef, owners));
  }

  private async write(items: ProcessedItem[]): Promise<void> {
    const { dataSource, settings, stats, logger } = this.options;
    const retry: TransactionOptions = {
      onRetry: (error, attempt) => {
        stats.retries++;
        if (sqlState(error) === '40P01') stats.deadlocks++;
        logger.debug({ attempt, err: describeDatabaseError(error) }, 'retrying a processing write');
      },
    };
    const writeBatch = (batch: ProcessedItem[]) =>
      inTransaction(
        dataSource,
        (sql) => writeProcessingResults(sql, batch, { orphanStrategy: settings.orphanStrategy }),
        retry,
      );
    try {
      const summary = await writeBatch(items);
      this.account(items, summary.written);
    } catch (error) {
      // A lost connection is the loop's business (it backs off); only bad data is handled here.
      if (!isDataError(error)) throw error;
      // One bad item must not hold back the others: write them one by one.
      if (items.length > 1)
        logger.warn(
          { err: describeDatabaseError(error), items: items.length },
          'batch write failed; writing one by one',
        );
      for (const item of items) {
        try {
          const summary = items.length > 1 ? await writeBatch([item]) : undefined;
          if (summary) this.account([item], summary.written);
          else throw error;
        } catch (itemError) {
          stats.writeFailures++;
          logger.error(
            { entityRef: item.entityRef, err: describeDatabaseError(itemError) },
            'writing a processing result failed',
          );
          await this.recordWriteFailure(item, itemError);
        }
      }
    }
    this.options.onWritten?.();
  }

  /**
   * Shows a result that cannot be stored (a processor produced something PostgreSQL refuses) as an
   * error on the entity, keeping its last good version; the next run tries again.
   */
  private async recordWriteFailure(item: ProcessedItem, error: unknown): Promise<void> {
    const errors = [
      {
        name: 'Error',
        message: `The processing result could not be stored: ${describeDatabaseError(error)}`,
      },
    ];
    try {
      await inTransaction(this.options.dataSource, async (sql) => {
        await updateProcessingErrors(sql, [{ entityId: item.entityId, errors, resultHash: 'unstorable' }]);
        await markForStitching(sql, [item.entityRef]);
      });
    } catch (recordError) {
      this.options.logger.error(
        { entityRef: item.entityRef, err: describeDatabaseError(recordError) },
        'recording a write failure failed',
      );
    }
  }

  private account(items: ProcessedItem[], written: number): void {
    this.options.stats.written += written;
    this.options.stats.failed += items.filter((i) => !i.result.ok).length;
  }
}
