import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { Logger } from 'pino';
import { parsePolicyFile } from './policy-file-format.js';
import { emptyPolicySet, type PolicySet } from './types.js';

export interface PolicyFileStatus {
  path?: string;
  /** Whether a policy from the file is in force. */
  loaded: boolean;
  loadedAt?: string;
  /** sha256 of the file content in force. */
  hash?: string;
  /** The last load's error (the previous policy stays in force). */
  error?: string;
  errorAt?: string;
}

export interface PolicyFileSourceOptions {
  /** Absolute path; undefined: no file, an empty policy. */
  path?: string;
  logger: Logger;
  /** Extra checks of a parsed policy (rules against the registry); throw to refuse it. */
  validate?: (policy: PolicySet) => void;
  /** Called after a new policy came into force. */
  onChange?: (policy: PolicySet) => void;
  debounceMs?: number;
}

/**
 * The policy from `permission.policyFile` (YAML or CSV, by its extension): read at start and again when the file changes (fs.watch
 * on its folder, so that editors replacing the file are seen, debounced). A file that does not parse
 * or validate never replaces the policy in force: the error is logged and kept for the status.
 */
export class PolicyFileSource {
  private current: PolicySet = emptyPolicySet();
  private state: PolicyFileStatus;
  private watcher?: FSWatcher;
  private timer?: NodeJS.Timeout;
  private reloading: Promise<void> = Promise.resolve();

  constructor(private readonly options: PolicyFileSourceOptions) {
    this.state = { path: options.path, loaded: options.path === undefined };
  }

  policy(): PolicySet {
    return this.current;
  }

  status(): PolicyFileStatus {
    return { ...this.state };
  }

  /** A token that changes whenever a new policy comes into force (part of decision cache keys). */
  generation(): string {
    return this.state.hash?.slice(0, 16) ?? 'none';
  }

  /** Loads the file once; resolves whether a policy is in force (true without a file). */
  async load(): Promise<boolean> {
    const path = this.options.path;
    if (!path) return true;
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && !this.state.loaded) {
        // No file at start: its part of the policy is empty (it grants nothing), which is as closed
        // as it gets; the runtime policy still applies and the file comes into force once created.
        // A file that disappears later keeps the policy it had (below).
        this.state = {
          path,
          loaded: true,
          loadedAt: new Date().toISOString(),
          error: `${path} does not exist`,
          errorAt: new Date().toISOString(),
        };
        this.options.logger.error(
          { path },
          'policy file does not exist; it grants nothing until it is created',
        );
        return true;
      }
      this.fail(`cannot read ${path}: ${code ?? (err as Error).message}`);
      return this.state.loaded;
    }
    const hash = createHash('sha256').update(text).digest('hex');
    if (this.state.loaded && hash === this.state.hash) {
      if (this.state.error) this.state = { ...this.state, error: undefined, errorAt: undefined };
      return true;
    }
    let policy: PolicySet;
    try {
      policy = parsePolicyFile(path, text);
      this.options.validate?.(policy);
    } catch (err) {
      this.fail(`${path}: ${(err as Error).message}`);
      return this.state.loaded;
    }
    this.current = policy;
    this.state = { path, loaded: true, loadedAt: new Date().toISOString(), hash };
    this.options.logger.info(
      {
        path,
        roles: policy.roles.length,
        grants: policy.grants.length,
        conditions: policy.conditions.length,
      },
      'policy file loaded',
    );
    this.options.onChange?.(policy);
    return true;
  }

  private fail(message: string): void {
    this.state = { ...this.state, error: message, errorAt: new Date().toISOString() };
    this.options.logger.error(
      { err: message, keptPrevious: this.state.loaded },
      'policy file could not be loaded; the previous policy stays in force',
    );
  }

  /** Reloads on every change of the file (debounced). */
  watch(): void {
    const path = this.options.path;
    if (!path || this.watcher) return;
    const name = basename(path);
    try {
      this.watcher = watch(dirname(path), (_event, file) => {
        if (file !== null && file !== name) return;
        this.schedule();
      });
      this.watcher.on('error', (err) =>
        this.options.logger.warn({ err: err.message }, 'policy file watch failed'),
      );
    } catch (err) {
      this.options.logger.warn({ err: (err as Error).message, path }, 'cannot watch the policy file');
    }
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.reloading = this.reloading.then(() => this.load().then(() => undefined));
    }, this.options.debounceMs ?? 150);
  }

  /** Resolves when a scheduled reload has run (tests). */
  async settled(): Promise<void> {
    await this.reloading;
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.watcher?.close();
    this.watcher = undefined;
  }
}
