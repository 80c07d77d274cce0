import { DataSource, type EntitySchema, type MixedList } from 'typeorm';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { Readiness } from '../health/readiness.js';
import type { Metrics } from '../telemetry/metrics.js';
import { ServiceUnavailableError } from '../errors/errors.js';
import { backoffDelay, sleep } from '../util/backoff.js';
import { databaseNameFor, withDatabase } from './database-name.js';
import { ensureDatabase } from './ensure-database.js';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type MigrationList = MixedList<Function | string>;
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type EntityList = MixedList<Function | string | EntitySchema>;

export interface DatabaseOptions {
  pluginId: string;
  migrations: MigrationList;
  entities?: EntityList;
  /** PostgreSQL settings for every connection of the pool (`{ max_parallel_workers_per_gather: '0' }`). */
  settings?: Record<string, string>;
}

/**
 * The plugin's own database: created if missing, migrations run once at start (under an advisory
 * lock, so replicas starting together do not race), then watched: readiness goes red while the
 * server is unreachable and green again when it answers.
 */
export class Database {
  readonly dataSource: DataSource;
  readonly name: string;
  private readonly serverConnection: string;
  private monitor?: NodeJS.Timeout;
  private reachable = false;
  private stopped = false;

  constructor(
    config: Config,
    private readonly options: DatabaseOptions,
    private readonly logger: Logger,
    private readonly readiness: Readiness,
    metrics?: Metrics,
  ) {
    const connection = config.getOptionalString('backend.database.connection');
    if (!connection) {
      throw new ServiceUnavailableError(
        `Plugin '${options.pluginId}' needs a database: set backend.database.connection (DATABASE_URL)`,
      );
    }
    this.serverConnection = connection;
    this.name = databaseNameFor(
      config.getOptionalString('backend.database.prefix') ?? 'portal_',
      options.pluginId,
    );
    this.dataSource = new DataSource({
      type: 'postgres',
      url: withDatabase(connection, this.name),
      entities: options.entities ?? [],
      migrations: options.migrations,
      migrationsTableName: 'migrations',
      synchronize: false,
      logging: false,
      extra: {
        max: config.getOptionalNumber('backend.database.pool.max') ?? 10,
        idleTimeoutMillis: config.getOptionalNumber('backend.database.pool.idleTimeoutMillis') ?? 30000,
        connectionTimeoutMillis:
          config.getOptionalNumber('backend.database.pool.connectionTimeoutMillis') ?? 5000,
        application_name: `portal-${options.pluginId}`,
        ...(options.settings && Object.keys(options.settings).length
          ? {
              options: Object.entries(options.settings)
                .map(([name, value]) => `-c ${name}=${value}`)
                .join(' '),
            }
          : {}),
      },
    });
    readiness.require('database', 'Database is not reachable');
    metrics?.observePool(() => {
      const pool = (
        this.dataSource.driver as unknown as {
          master?: { totalCount: number; idleCount: number; waitingCount: number };
        }
      ).master;
      return pool ? { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount } : undefined;
    });
    readiness.require('migrations', 'Database migrations have not run');
  }

  private markStarted!: () => void;
  private readonly startedPromise = new Promise<void>((resolve) => (this.markStarted = resolve));

  /** Resolves once the database is reachable and migrated (never, if the service stops first). */
  whenStarted(): Promise<void> {
    return this.startedPromise;
  }

  /** Connects (retrying with backoff while the server is down), creates the database, migrates. */
  async start(): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        const created = await ensureDatabase(this.serverConnection, this.name);
        if (created) this.logger.info({ database: this.name }, 'created database');
        if (!this.dataSource.isInitialized) await this.dataSource.initialize();
        await this.migrate();
        this.setReachable(true);
        this.readiness.set('migrations', true);
        this.startMonitor();
        this.markStarted();
        return;
      } catch (err) {
        const delay = backoffDelay(attempt, 500, 15000);
        this.logger.warn({ err: (err as Error).message, retryInMs: delay }, 'database not ready, retrying');
        await sleep(delay);
      }
    }
  }

  private async migrate(): Promise<void> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      // One key per database: only one replica migrates at a time.
      await runner.query('SELECT pg_advisory_lock(hashtext($1))', [`portal-migrations-${this.name}`]);
      try {
        const ran = await this.dataSource.runMigrations({ transaction: 'each' });
        if (ran.length) this.logger.info({ migrations: ran.map((m) => m.name) }, 'ran database migrations');
      } finally {
        await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [`portal-migrations-${this.name}`]);
      }
    } finally {
      await runner.release();
    }
  }

  private startMonitor(): void {
    this.monitor = setInterval(() => void this.check(), 2000);
    this.monitor.unref();
  }

  /** One ping; flips readiness on a change. */
  async check(): Promise<boolean> {
    try {
      await Promise.race([
        this.dataSource.query('SELECT 1'),
        sleep(3000).then(() => Promise.reject(new Error('database ping timed out'))),
      ]);
      this.setReachable(true);
    } catch (err) {
      if (this.reachable) this.logger.error({ err: (err as Error).message }, 'database unreachable');
      this.setReachable(false);
    }
    return this.reachable;
  }

  private readonly reachableListeners: Array<() => void> = [];

  /** Calls `listener` each time the database becomes reachable again after an outage. */
  onReachable(listener: () => void): void {
    this.reachableListeners.push(listener);
  }

  private setReachable(ok: boolean) {
    const recovered = ok && !this.reachable;
    if (recovered) this.logger.info({ database: this.name }, 'database reachable');
    this.reachable = ok;
    this.readiness.set('database', ok);
    if (recovered) for (const listener of this.reachableListeners) listener();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.monitor) clearInterval(this.monitor);
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
