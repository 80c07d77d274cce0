/** Counters of what this replica's loops did, for metrics and tests. */
export class EngineStats {
  /** Entities claimed and run through the processors. */
  processed = 0;
  /** Of those, results identical to the stored one: nothing written. */
  unchanged = 0;
  /** Results written. */
  written = 0;
  /** Results that failed on the entity itself (errors stored, last good version kept). */
  failed = 0;
  /** Entities claimed for stitching. */
  stitchClaimed = 0;
  /** Final entities written (hash changed). */
  stitched = 0;
  /** Transactions run again after a deadlock or a stale read. */
  retries = 0;
  /** Deadlocks PostgreSQL reported (a subset of retries). */
  deadlocks = 0;
  /** Claims whose write failed and is left to the lease. */
  writeFailures = 0;
}
