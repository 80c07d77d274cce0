import type { Logger } from 'pino';
import { NotificationListener } from '@portal/platform';
import type { DataSource } from 'typeorm';
import { emptyPolicySet, type PolicySet } from '../policy/types.js';
import { listGrants } from './operations/list-grants.js';
import { listRoles } from './operations/list-roles.js';
import { POLICY_CHANNEL } from './operations/policy-channel.js';
import { readPolicyVersion } from './operations/read-policy-version.js';
import { withConnection } from './sql.js';

export interface RuntimePolicySyncOptions {
  dataSource: DataSource;
  /** Connection string of the permission database, for the LISTEN connection. */
  listenUrl?: string;
  logger: Logger;
  /** Polling fallback; 1 s by default. */
  pollMs?: number;
  /** Called after a new version was loaded. */
  onChange?: (version: number, policy: PolicySet) => void;
}

/**
 * Keeps this replica's copy of the runtime policy in step with the database: a version number
 * bumped by every change, noticed through LISTEN (one connection per process) and, as a fallback,
 * by polling every second; a new version reloads roles and grants. While the database is
 * unreachable the last loaded policy stays in force.
 */
export class RuntimePolicySync {
  private current: PolicySet = emptyPolicySet();
  private version = 0;
  private loaded = false;
  private timer?: NodeJS.Timeout;
  private listener?: NotificationListener;
  private stopped = false;
  private running?: Promise<void>;
  private again = false;

  constructor(private readonly options: RuntimePolicySyncOptions) {}

  policy(): PolicySet {
    return this.current;
  }

  currentVersion(): number {
    return this.version;
  }

  isLoaded(): boolean {
    return this.loaded;
  }

  /** Loads once (throws when the database cannot be read), then follows changes. */
  async start(): Promise<void> {
    await this.check();
    if (!this.loaded) throw new Error('runtime policy could not be loaded');
    this.timer = setInterval(() => void this.check(), this.options.pollMs ?? 1000);
    this.timer.unref();
    if (this.options.listenUrl && !this.stopped) {
      this.listener = new NotificationListener({
        connectionString: this.options.listenUrl,
        channel: POLICY_CHANNEL,
        name: 'portal-permission-listen',
        logger: this.options.logger,
        onNotify: () => void this.check(),
        // A change may have happened while no one listened.
        onListening: () => void this.check(),
      });
      void this.listener.start();
    }
  }

  /** Reads the version and reloads when it moved; concurrent calls coalesce. */
  check(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.checkOnce();
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async checkOnce(): Promise<void> {
    try {
      const { dataSource } = this.options;
      const version = await withConnection(dataSource, readPolicyVersion);
      if (this.loaded && version === this.version) return;
      const [roles, { grants, conditions }] = await withConnection(
        dataSource,
        async (sql) => [await listRoles(sql), await listGrants(sql)] as const,
      );
      // Re-read: the version must not have moved while loading, else load again next time.
      const after = await withConnection(dataSource, readPolicyVersion);
      if (after !== version) {
        this.again = true;
        return;
      }
      this.current = { roles, grants, conditions };
      this.version = version;
      this.loaded = true;
      this.options.logger.debug({ version }, 'runtime policy loaded');
      this.options.onChange?.(version, this.current);
    } catch (err) {
      this.options.logger.warn(
        { err: (err as Error).message },
        'cannot read the runtime policy; keeping the last one',
      );
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
    await this.listener?.stop();
    this.listener = undefined;
  }
}
