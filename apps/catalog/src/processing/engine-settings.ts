// The catalog engine's configuration, read and checked once at start.
import { resolve } from 'node:path';
import { FileReader, InputError, type Config } from '@portal/platform';
import { readDuration } from './util/duration.js';

export type OrphanStrategy = 'keep' | 'delete';

export interface EngineSettings {
  /** `catalog.processing.enabled` (default true); false makes an API-only replica: no loops. */
  processingEnabled: boolean;
  /**
   * `catalog.processingInterval` (default 100 s): how long a claim lasts and when an entity is
   * processed again. Each refresh lands between the interval and 1.5 × the interval, at random.
   */
  processingIntervalSeconds: number;
  processingJitterSeconds: number;
  /** `catalog.orphanStrategy` (default keep): what happens to an entity its parent stops emitting. */
  orphanStrategy: OrphanStrategy;
  /** `catalog.orphanProviderStrategy` (default delete): entities of providers no longer installed. */
  orphanProviderStrategy: OrphanStrategy;
  /** `catalog.stitchingStrategy.stitchTimeout` (default 60 s): the lease of a stitch claim. */
  stitchLeaseMs: number;
  /**
   * `catalog.stitchingStrategy.settleTime` (default 1 s): how long a stitch mark waits before it
   * is claimed, so a burst of changes to one entity's relations is stitched once.
   */
  stitchSettleMs: number;
  /**
   * `catalog.stitchingStrategy.bulkSettleTime` (default 5 s): the settle time while this replica is
   * writing a bulk change (an initial ingestion), so that entities gaining relations batch after
   * batch are stitched a few times rather than once per batch.
   */
  stitchBulkSettleMs: number;
  /** `catalog.stitchingStrategy.pollingInterval` (default 1 s): how often an idle stitcher looks. */
  stitchPollMs: number;
  /** `catalog.processing.pollingInterval` (default 1 s): how often an idle processor looks. */
  processingPollMs: number;
  /** `catalog.processing.batchSize` (default 500): rows claimed at once (results are written in chunks). */
  batchSize: number;
  /** `catalog.processing.concurrency` (default 6): entities processed at once (reads in flight). */
  concurrency: number;
  /** `catalog.processing.stitchBatchSize` (default 1000): rows stitched at once. */
  stitchBatchSize: number;
  /** How often orphans are swept under `orphanStrategy: delete` (default 30 s). */
  orphanCleanupIntervalMs: number;
  /** How often maintenance runs: facet counts compacted, changed tables analyzed (default 5 s). */
  maintenanceIntervalMs: number;
}

function positiveInteger(config: Config, key: string, fallback: number): number {
  const value = config.getOptionalNumber(key);
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1)
    throw new InputError(`Invalid config at '${key}': must be a positive integer`);
  return value;
}

function strategy(config: Config, key: string, fallback: OrphanStrategy): OrphanStrategy {
  const value = config.getOptionalString(key) ?? fallback;
  if (value !== 'keep' && value !== 'delete') {
    throw new InputError(`Invalid config at '${key}': must be 'keep' or 'delete', got '${value}'`);
  }
  return value;
}

/** Reads the `catalog` keys the engine uses; throws an InputError naming the first bad key. */
export function readEngineSettings(config: Config): EngineSettings {
  let processingEnabled = config.getOptionalBoolean('catalog.processing.enabled') ?? true;
  let intervalSeconds = 100;
  const interval = config.getOptional('catalog.processingInterval');
  if (interval === false) processingEnabled = false;
  else if (interval !== undefined) {
    const ms = readDuration(config, 'catalog.processingInterval')!;
    if (ms < 1000)
      throw new InputError("Invalid config at 'catalog.processingInterval': must be at least 1 second");
    intervalSeconds = Math.round(ms / 1000);
  }
  const stitchLeaseMs = readDuration(config, 'catalog.stitchingStrategy.stitchTimeout') ?? 60_000;
  if (stitchLeaseMs < 1000) {
    throw new InputError(
      "Invalid config at 'catalog.stitchingStrategy.stitchTimeout': must be at least 1 second",
    );
  }
  return {
    processingEnabled,
    processingIntervalSeconds: intervalSeconds,
    processingJitterSeconds: intervalSeconds / 2,
    orphanStrategy: strategy(config, 'catalog.orphanStrategy', 'keep'),
    orphanProviderStrategy: strategy(config, 'catalog.orphanProviderStrategy', 'delete'),
    stitchLeaseMs,
    stitchSettleMs: readDuration(config, 'catalog.stitchingStrategy.settleTime') ?? 1000,
    stitchBulkSettleMs: readDuration(config, 'catalog.stitchingStrategy.bulkSettleTime') ?? 5000,
    stitchPollMs: readDuration(config, 'catalog.stitchingStrategy.pollingInterval') ?? 1000,
    processingPollMs: readDuration(config, 'catalog.processing.pollingInterval') ?? 1000,
    batchSize: positiveInteger(config, 'catalog.processing.batchSize', 500),
    concurrency: positiveInteger(config, 'catalog.processing.concurrency', 6),
    stitchBatchSize: positiveInteger(config, 'catalog.processing.stitchBatchSize', 1000),
    orphanCleanupIntervalMs: 30_000,
    maintenanceIntervalMs: 5000,
  };
}

/**
 * The FileReader for file locations: `catalog.fileRoots` (relative roots resolve against
 * `rootDir`). With no roots configured every file location is refused.
 */
export function catalogFileReader(config: Config, rootDir = process.cwd()): FileReader {
  const roots = config.getOptionalStringArray('catalog.fileRoots') ?? [];
  return new FileReader(roots.map((root) => resolve(rootDir, root)));
}
