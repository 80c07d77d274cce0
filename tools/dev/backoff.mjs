// When to restart a process that exited unexpectedly: 1 s, 2 s, 4 s … at most 30 s. A process that
// stayed up for a minute before it failed counts as healthy again and starts over at 1 s.

export class RestartBackoff {
  /**
   * @param {{ initialMs?: number, maxMs?: number, resetAfterMs?: number }} [options]
   */
  constructor({ initialMs = 1000, maxMs = 30_000, resetAfterMs = 60_000 } = {}) {
    this.initialMs = initialMs;
    this.maxMs = maxMs;
    this.resetAfterMs = resetAfterMs;
    /** Crashes in a row, each within `resetAfterMs` of its start. */
    this.failures = 0;
  }

  /**
   * Records an unexpected exit after `uptimeMs` of running and returns how long to wait before
   * the next start.
   */
  nextDelay(uptimeMs) {
    if (uptimeMs >= this.resetAfterMs) this.failures = 0;
    const delay = Math.min(this.maxMs, this.initialMs * 2 ** Math.min(this.failures, 30));
    this.failures += 1;
    return delay;
  }
}
