import { backoffDelay, InputError, NotificationListener, type Logger } from '@portal/platform';
import { describeDatabaseError } from '../processing/util/sql.js';
import { decodeEventCursor } from './event-cursor.js';
import type { EventFilter } from './event-filter.js';
import type { EventStreamReader, StreamEvent } from './event-stream-reader.js';

/** The channel the `entity_events` statement trigger notifies at commit. */
export const EVENTS_CHANNEL = 'catalog_entity_events';

export interface ChangeStreamOptions {
  reader: EventStreamReader;
  logger: Logger;
  /** Connection string for the one LISTEN connection of this process; none: polling only. */
  listenUrl?: string;
  /** How often the horizon is advanced without a notification (the fallback); default 1 s. */
  pollIntervalMs?: number;
  /** How soon to look again while transactions hold the horizon back; default 100 ms. */
  pendingRecheckMs?: number;
  /** Events buffered per subscriber before reading pauses for it; default 256. */
  bufferSize?: number;
  /** Subscribers reading from the database at once; default 4. */
  readConcurrency?: number;
}

/**
 * One consumer's position in the stream: an async iterator of events. It reads ahead at most
 * `bufferSize` events; while the consumer does not take them (a slow client), nothing more is read
 * for it, so its memory stays bounded. Ends when closed (by the consumer or at shutdown).
 */
export class StreamSubscription implements AsyncIterableIterator<StreamEvent> {
  private readonly buffer: StreamEvent[] = [];
  private reading?: Promise<void>;
  private waiter?: () => void;
  private closed = false;
  private markClosed!: () => void;
  private readonly closedPromise = new Promise<void>((resolve) => (this.markClosed = resolve));
  /** Events read from the database so far (for tests and metrics). */
  fetched = 0;

  constructor(
    private readonly stream: ChangeStream,
    private position: bigint,
    readonly filter: EventFilter | undefined,
    private readonly bufferSize: number,
  ) {}

  /** Where reading continues (past everything buffered). */
  get readPosition(): bigint {
    return this.position;
  }

  get buffered(): number {
    return this.buffer.length;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Resolves when the subscription is closed (by its consumer or at shutdown). */
  whenClosed(): Promise<void> {
    return this.closedPromise;
  }

  /** Reads ahead when there is room and the horizon moved past the position. */
  pump(): void {
    if (this.closed || this.reading || this.buffer.length >= this.bufferSize) return;
    const horizon = this.stream.reader.horizon.value;
    if (horizon === undefined || horizon <= this.position) return;
    this.reading = this.stream
      .withReadSlot(async () => {
        while (!this.closed && this.buffer.length < this.bufferSize) {
          const before = this.position;
          const page = await this.stream.reader.readAfterId(
            this.position,
            this.bufferSize - this.buffer.length,
            this.filter,
          );
          if (this.closed) return;
          this.buffer.push(...page.events);
          this.fetched += page.events.length;
          this.position = decodeEventCursor(page.cursor);
          if (page.events.length) this.signal();
          if (this.position === before) return;
        }
      })
      .catch((error: unknown) => this.stream.readFailed(error))
      .finally(() => {
        this.reading = undefined;
      });
  }

  async next(): Promise<IteratorResult<StreamEvent>> {
    for (;;) {
      const event = this.buffer.shift();
      if (event) {
        if (this.buffer.length <= this.bufferSize / 2) this.pump();
        return { value: event, done: false };
      }
      if (this.closed) return { value: undefined, done: true };
      this.pump();
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
  }

  async return(): Promise<IteratorResult<StreamEvent>> {
    this.close();
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** Ends the iteration; buffered events are dropped (the consumer resumes from its cursor). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.buffer.length = 0;
    this.stream.forget(this);
    this.markClosed();
    this.signal();
  }

  private signal(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }
}

/**
 * The change stream of this process: one LISTEN connection and one polling loop advance the safe
 * horizon and wake every subscriber, whatever their number. A NOTIFY (sent by the writers'
 * transactions at commit) only shortens the wait; polling every `pollIntervalMs` finds everything a
 * lost notification would have announced.
 */
export class ChangeStream {
  readonly reader: EventStreamReader;
  private readonly logger: Logger;
  private readonly subscriptions = new Set<StreamSubscription>();
  private readonly pollIntervalMs: number;
  private readonly pendingRecheckMs: number;
  private readonly bufferSize: number;
  private readonly readConcurrency: number;
  private readSlots = 0;
  private readonly slotWaiters: Array<() => void> = [];
  private state: 'new' | 'running' | 'stopped' = 'new';
  private loop?: Promise<void>;
  private wakeLoop?: () => void;
  private woken = false;
  private listener?: NotificationListener;
  private horizonWaiters: Array<() => void> = [];
  private lastReadError = 0;
  /** Notifications received (for tests). */
  notifications = 0;

  constructor(private readonly options: ChangeStreamOptions) {
    this.reader = options.reader;
    this.logger = options.logger;
    this.pollIntervalMs = Math.max(50, options.pollIntervalMs ?? 1000);
    this.pendingRecheckMs = Math.max(10, options.pendingRecheckMs ?? 100);
    this.bufferSize = Math.max(1, options.bufferSize ?? 256);
    this.readConcurrency = Math.max(1, options.readConcurrency ?? 4);
  }

  start(): void {
    if (this.state !== 'new') return;
    this.state = 'running';
    if (this.options.listenUrl) {
      this.listener = new NotificationListener({
        connectionString: this.options.listenUrl,
        channel: EVENTS_CHANNEL,
        name: 'portal-catalog-change-stream',
        logger: this.logger,
        onNotify: () => {
          this.notifications++;
          this.wake();
        },
        // Whatever was announced while no one listened: look now.
        onListening: () => this.wake(),
      });
      void this.listener.start();
    }
    this.loop = this.run();
  }

  /** Ends every subscription, the loop and the LISTEN connection. */
  async stop(): Promise<void> {
    this.state = 'stopped';
    for (const subscription of [...this.subscriptions]) subscription.close();
    for (const waiter of this.horizonWaiters.splice(0)) waiter();
    this.wake();
    const listener = this.listener;
    this.listener = undefined;
    // Neither a lost database nor a hanging statement may hold the shutdown: give them two seconds.
    await Promise.race([
      Promise.all([listener?.stop(), this.loop]),
      new Promise((resolve) => setTimeout(resolve, 2000).unref()),
    ]);
  }

  private get stopped(): boolean {
    return this.state === 'stopped';
  }

  get subscriberCount(): number {
    return this.subscriptions.size;
  }

  /**
   * A subscription from a cursor: `''` (or undefined) from now (the current safe horizon), `'0'`
   * from the oldest kept event, otherwise after the event with that cursor (InputError if malformed).
   */
  async subscribe(cursor: string | undefined, filter?: EventFilter): Promise<StreamSubscription> {
    let position: bigint;
    if (cursor) {
      position = decodeEventCursor(cursor);
      // A cursor of another catalog (or made up) would wait in silence for ids that are not there.
      if (position > (this.reader.horizon.value ?? 0n) && position > (await this.reader.lastAssignedId())) {
        throw new InputError('Invalid cursor: it is ahead of the change stream');
      }
    } else {
      position = await this.currentHorizon();
    }
    const subscription = new StreamSubscription(this, position, filter, this.bufferSize);
    if (this.stopped) subscription.close();
    else {
      this.subscriptions.add(subscription);
      subscription.pump();
    }
    return subscription;
  }

  /** The safe horizon, waiting for the first one after start. */
  async currentHorizon(): Promise<bigint> {
    while (this.reader.horizon.value === undefined && !this.stopped) {
      await new Promise<void>((resolve) => {
        this.horizonWaiters.push(resolve);
        this.wake();
      });
    }
    return this.reader.horizon.value ?? 0n;
  }

  /** Cuts the loop's wait short (a notification, or a test). */
  wake(): void {
    this.woken = true;
    this.wakeLoop?.();
  }

  /** @internal */
  forget(subscription: StreamSubscription): void {
    this.subscriptions.delete(subscription);
  }

  /** @internal Bounds the database reads of all subscribers together. */
  async withReadSlot<T>(work: () => Promise<T>): Promise<T> {
    while (this.readSlots >= this.readConcurrency) {
      await new Promise<void>((resolve) => this.slotWaiters.push(resolve));
    }
    this.readSlots++;
    try {
      return await work();
    } finally {
      this.readSlots--;
      this.slotWaiters.shift()?.();
    }
  }

  /** @internal A subscriber's read failed (the database is away): logged, retried at the next tick. */
  readFailed(error: unknown): void {
    if (Date.now() - this.lastReadError > 10_000) {
      this.lastReadError = Date.now();
      this.logger.warn({ err: describeDatabaseError(error) }, 'change stream read failed; retrying');
    }
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      this.woken = false;
      let waitMs = this.pollIntervalMs;
      try {
        await this.reader.horizon.advance();
        failures = 0;
        if (this.reader.horizon.value !== undefined) {
          for (const waiter of this.horizonWaiters.splice(0)) waiter();
        }
        for (const subscription of this.subscriptions) subscription.pump();
        if (this.reader.horizon.pending) waitMs = this.pendingRecheckMs;
      } catch (error) {
        waitMs = backoffDelay(failures++, 200, 10_000);
        if (!this.stopped) {
          this.logger.warn(
            { err: describeDatabaseError(error), retryInMs: waitMs },
            'change stream could not advance its horizon',
          );
        }
      }
      if (this.stopped) break;
      if (this.woken) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        this.wakeLoop = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeLoop = undefined;
    }
  }
}
