// The connection handed to one entity provider: its mutations and refresh requests, in the database.
import type { DataSource } from 'typeorm';
import type { Logger } from '@portal/platform';
import type { EngineStats } from '../processing/engine-stats.js';
import { refreshByLocationKeys } from '../processing/operations/refresh-by-location-keys.js';
import { describeDatabaseError, inTransaction, sqlState, withConnection } from '../processing/util/sql.js';
import { applyProviderMutation, normalizeMutation } from './apply-provider-mutation.js';
import type { EntityProviderConnection, EntityProviderMutation, MutationSummary } from './entity-provider.js';

export interface ProviderConnectionOptions {
  dataSource: DataSource;
  /** The provider's name: the `source_key` of everything it emits. */
  sourceKey: string;
  logger: Logger;
  stats?: EngineStats;
  /** Told when something became due for processing (the engine wakes its processing loop). */
  onChange?: () => void;
}

/**
 * Applies one provider's mutations, one at a time (a provider's mutations apply in the order it
 * sends them), each in one transaction, retried on deadlock.
 */
export class ProviderConnection implements EntityProviderConnection {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: ProviderConnectionOptions) {}

  get sourceKey(): string {
    return this.options.sourceKey;
  }

  applyMutation(mutation: EntityProviderMutation): Promise<MutationSummary> {
    let normalized: ReturnType<typeof normalizeMutation>;
    try {
      normalized = normalizeMutation(mutation);
    } catch (error) {
      return Promise.reject(error);
    }
    const run = async (): Promise<MutationSummary> => {
      const { dataSource, sourceKey, logger, stats } = this.options;
      const summary = await inTransaction(
        dataSource,
        (sql) => applyProviderMutation(sql, sourceKey, normalized),
        {
          onRetry: (error) => {
            if (stats) {
              stats.retries++;
              if (sqlState(error) === '40P01') stats.deadlocks++;
            }
            logger.debug(
              { provider: sourceKey, err: describeDatabaseError(error) },
              'retrying a provider mutation',
            );
          },
        },
      );
      if (summary.conflicts.length) {
        logger.warn(
          { provider: sourceKey, conflicts: summary.conflicts.slice(0, 20), count: summary.conflicts.length },
          'entities already owned by another location were skipped',
        );
      }
      if (summary.added || summary.updated || summary.deleted) {
        logger.debug(
          { provider: sourceKey, ...summary, conflicts: summary.conflicts.length },
          'applied mutation',
        );
        this.options.onChange?.();
      }
      return summary;
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  async refresh(options: { keys: string[] }): Promise<void> {
    const due = await withConnection(this.options.dataSource, (sql) =>
      refreshByLocationKeys(sql, options.keys),
    );
    if (due) this.options.onChange?.();
  }
}
