import { backoffDelay, type Liveness, type Logger } from '@portal/platform';
import { describeDatabaseError } from './sql.js';

export interface BackgroundLoopOptions {
  /** Also the liveness name. */
  name: string;
  logger: Logger;
  liveness?: Liveness;
  /** Liveness fails when the loop has not reported progress for this long. */
  livenessAllowanceMs: number;
  /** How long an idle loop waits before looking again (a wake() cuts it short). */
  idleMs: number;
  /**
   * One iteration; true when it found work (the loop goes on at once), false when idle. Throwing
   * (a lost database, typically) backs off exponentially; the loop itself never stops.
   */
  iterate: () => Promise<boolean>;
}

/**
 * A polling loop that survives failures: exponential backoff with jitter on errors (up to 30 s),
 * a liveness tick on every iteration and on progress within one, and a wake-up for work that
 * arrives from this process.
 */
export class BackgroundLoop {
  private running?: Promise<void>;
  private stopped = true;
  private wakeUp?: () => void;
  private woken = false;
  private tick: () => void = () => undefined;

  constructor(private readonly options: BackgroundLoopOptions) {}

  /** Starts the loop (and its liveness watch). */
  start(): void {
    if (this.running) return;
    this.tick =
      this.options.liveness?.register(this.options.name, this.options.livenessAllowanceMs) ?? this.tick;
    this.stopped = false;
    this.running = this.loop();
  }

  /** Finishes the iteration in progress, then stops. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.running;
    this.running = undefined;
    this.options.liveness?.unregister(this.options.name);
  }

  /** Ends the current idle wait (or skips the next one). */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Reports progress inside a long iteration. */
  progress(): void {
    this.tick();
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      this.tick();
      let busy = false;
      let waitMs = this.options.idleMs;
      try {
        busy = await this.options.iterate();
        failures = 0;
      } catch (error) {
        waitMs = backoffDelay(failures, 200, 30_000);
        failures++;
        this.options.logger.warn(
          { loop: this.options.name, err: describeDatabaseError(error), retryInMs: waitMs },
          'catalog loop iteration failed; backing off',
        );
      }
      if (!busy || failures > 0) await this.idle(waitMs);
    }
  }

  private idle(ms: number): Promise<void> {
    if (this.woken || this.stopped) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        this.woken = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }
}
