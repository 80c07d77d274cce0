// One PostgreSQL LISTEN connection that stays up: reconnects with backoff when it breaks.
import pg from 'pg';
import type { Logger } from 'pino';
import { backoffDelay } from '../util/backoff.js';

export interface NotificationListenerOptions {
  /** The database to listen on. */
  connectionString: string;
  /** A plain identifier (`catalog_entity_events`). */
  channel: string;
  logger: Logger;
  /** Shown as the connection's application_name and in logs. */
  name: string;
  /** A notification on the channel arrived. */
  onNotify: () => void;
  /**
   * The connection is (again) listening. Notifications sent while it was down are lost, so a
   * caller that polls as a fallback looks now.
   */
  onListening?: () => void;
}

/**
 * The one LISTEN connection of a process for a channel. When the connection fails or ends it is
 * opened again after 0.5 s, 1 s, 2 s … at most 15 s; callers poll meanwhile (`listening` says
 * whether notifications arrive).
 */
export class NotificationListener {
  private client?: pg.Client;
  private retryTimer?: NodeJS.Timeout;
  private failures = 0;
  private stopped = false;

  constructor(private readonly options: NotificationListenerOptions) {
    if (!/^[a-z_][a-z0-9_]*$/.test(options.channel)) {
      throw new Error(`Invalid notification channel '${options.channel}'`);
    }
  }

  /** Whether notifications are being received right now. */
  get listening(): boolean {
    return this.client !== undefined;
  }

  /** Connects; resolves after the first attempt (listening, or retrying in the background). */
  start(): Promise<void> {
    this.stopped = false;
    return this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const { connectionString, channel, name } = this.options;
    const client = new pg.Client({
      connectionString,
      application_name: name,
      connectionTimeoutMillis: 5000,
      keepAlive: true,
    });
    let failed = false;
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      if (this.client === client) this.client = undefined;
      client.removeAllListeners('notification');
      void client.end().catch(() => undefined);
      this.retry(error);
    };
    client.on('error', fail);
    client.on('end', () => fail(new Error('connection ended')));
    client.on('notification', (message) => {
      if (message.channel === channel) this.options.onNotify();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${channel}`);
    } catch (error) {
      fail(error);
      return;
    }
    if (this.stopped) {
      failed = true;
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    if (this.failures > 0) this.options.logger.info({ channel }, `${name}: listening again`);
    this.failures = 0;
    this.options.onListening?.();
  }

  private retry(error: unknown): void {
    if (this.stopped || this.retryTimer) return;
    const retryInMs = backoffDelay(this.failures++, 500, 15_000);
    this.options.logger.warn(
      { channel: this.options.channel, err: (error as Error).message, retryInMs },
      `${this.options.name}: LISTEN connection down; polling meanwhile`,
    );
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, retryInMs);
    this.retryTimer.unref();
  }
}
