// The engine's counters as Prometheus metrics, read at scrape time.
import { Counter } from 'prom-client';
import type { Metrics } from '@portal/platform';
import type { EngineStats } from './engine-stats.js';

const COUNTERS: ReadonlyArray<[keyof EngineStats, string, string]> = [
  ['processed', 'catalog_processing_entities_total', 'Entities claimed and run through the processors'],
  ['unchanged', 'catalog_processing_unchanged_total', 'Processing results identical to the stored one'],
  ['written', 'catalog_processing_written_total', 'Processing results written'],
  ['failed', 'catalog_processing_failed_total', 'Processing runs that failed on the entity itself'],
  ['stitchClaimed', 'catalog_stitching_claimed_total', 'Entities claimed for stitching'],
  ['stitched', 'catalog_stitching_written_total', 'Final entities written (their hash changed)'],
  ['retries', 'catalog_transaction_retries_total', 'Transactions run again after a deadlock or a stale read'],
  ['deadlocks', 'catalog_deadlocks_total', 'Deadlocks PostgreSQL reported'],
  ['writeFailures', 'catalog_write_failures_total', 'Claims whose write failed and was left to the lease'],
];

/** Registers one counter per EngineStats figure on the service's registry. */
export function registerEngineMetrics(metrics: Metrics, stats: EngineStats): void {
  for (const [key, name, help] of COUNTERS) {
    let reported = 0;
    new Counter({
      name,
      help,
      registers: [metrics.registry],
      collect() {
        // The stats only grow; a counter is set by adding the difference since the last scrape.
        const delta = stats[key] - reported;
        if (delta > 0) this.inc(delta);
        reported = stats[key];
      },
    });
  }
}
