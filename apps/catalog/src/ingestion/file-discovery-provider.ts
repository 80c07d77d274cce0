// `catalog.providers.fileDiscovery`: every descriptor file under a root becomes a file location.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { glob } from 'tinyglobby';
import { InputError, type Config, type Logger } from '@portal/platform';
import { readDuration } from '../processing/util/duration.js';
import type { EntityProvider, EntityProviderConnection, MutationSummary } from './entity-provider.js';
import { locationToDeferredEntity } from './location-entity.js';

export interface FileDiscoveryOptions {
  /** Absolute directory to search. */
  root: string;
  /** Relative to the root; default `**\/catalog-info.yaml`. */
  glob: string;
  /** Time between scans. */
  frequencyMs: number;
  /** Time before the first scan after connect; default 0. */
  initialDelayMs?: number;
  /** Deepest directory level searched below the root; default 20. */
  maxDepth?: number;
  logger: Logger;
}

const DEFAULT_GLOB = '**/catalog-info.yaml';

/**
 * Scans a directory tree on a schedule and emits one file Location per matching file, as a full
 * mutation: files that disappear take their entities with them, files that stay are untouched
 * (applying the same set again writes nothing). Symbolic links are not followed and node_modules
 * and .git are skipped. Reading the files is the processing engine's job and goes through the
 * FileReader, so the root must lie under `catalog.fileRoots`. A root that is missing or unreadable
 * is reported and skipped: a volume that is not mounted must not empty the catalog.
 */
export class FileDiscoveryProvider implements EntityProvider {
  readonly name: string;
  private connection?: EntityProviderConnection;
  private timer?: NodeJS.Timeout;
  private scanning?: Promise<MutationSummary | undefined>;
  private stopped = false;

  constructor(private readonly options: FileDiscoveryOptions) {
    this.name = `FileDiscoveryProvider:${options.root}`;
  }

  /** One provider per `catalog.providers.fileDiscovery` entry: `{root, glob?, schedule?}`. */
  static fromConfig(config: Config, options: { logger: Logger; rootDir?: string }): FileDiscoveryProvider[] {
    const entries = config.getOptionalConfigArray('catalog.providers.fileDiscovery') ?? [];
    return entries.map((entry, index) => {
      const key = `catalog.providers.fileDiscovery[${index}]`;
      const pattern = entry.getOptionalString('glob') ?? DEFAULT_GLOB;
      if (pattern.startsWith('/') || pattern.split('/').includes('..')) {
        throw new InputError(
          `Invalid config at '${key}.glob': must be relative to the root and stay below it`,
        );
      }
      return new FileDiscoveryProvider({
        root: resolve(options.rootDir ?? process.cwd(), entry.getString('root')),
        glob: pattern,
        frequencyMs: readDuration(entry, 'schedule.frequency') ?? 5 * 60_000,
        initialDelayMs: readDuration(entry, 'schedule.initialDelay') ?? 0,
        logger: options.logger,
      });
    });
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    this.stopped = false;
    this.schedule(this.options.initialDelayMs ?? 0);
  }

  async disconnect(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.scanning;
  }

  /** Scans now (waiting for a scan already running) and applies the result. */
  async scan(): Promise<MutationSummary | undefined> {
    if (this.scanning) return this.scanning;
    this.scanning = this.scanOnce().finally(() => {
      this.scanning = undefined;
    });
    return this.scanning;
  }

  /** The matching files, sorted; undefined when the root cannot be searched. */
  async findFiles(): Promise<string[] | undefined> {
    const { root, logger } = this.options;
    try {
      if (!(await stat(root)).isDirectory()) throw new Error('not a directory');
    } catch (error) {
      logger.warn(
        { provider: this.name, err: (error as Error).message },
        'file discovery root is not available; skipped',
      );
      return undefined;
    }
    const files = await glob(this.options.glob, {
      cwd: root,
      absolute: true,
      onlyFiles: true,
      followSymbolicLinks: false,
      deep: this.options.maxDepth ?? 20,
      ignore: ['**/node_modules/**', '**/.git/**'],
      expandDirectories: false,
    });
    return files.map((file) => resolve(file)).sort();
  }

  private async scanOnce(): Promise<MutationSummary | undefined> {
    if (!this.connection) return undefined;
    const files = await this.findFiles();
    if (!files) return undefined;
    return this.connection.applyMutation({
      type: 'full',
      entities: files.map((target) => locationToDeferredEntity({ type: 'file', target })),
    });
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.scan()
        .catch((error) =>
          this.options.logger.warn(
            { provider: this.name, err: (error as Error).message },
            'file discovery scan failed',
          ),
        )
        .finally(() => this.schedule(this.options.frequencyMs));
    }, delayMs);
    this.timer.unref();
  }
}
