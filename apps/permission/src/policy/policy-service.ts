import { PolicyEngine } from './policy-engine.js';
import type { PolicyFileSource } from './policy-file-source.js';
import type { PolicySet } from './types.js';

/** What the service needs of the runtime (database) policy. */
export interface RuntimePolicy {
  policy(): PolicySet;
  currentVersion(): number;
  isLoaded(): boolean;
}

export interface PolicyServiceOptions {
  file: PolicyFileSource;
  runtime?: RuntimePolicy;
  superUsers: string[];
  pluginIdFor?: (resourceType: string) => string | undefined;
}

/**
 * The policy in force: the policy file's roles and grants plus the runtime ones from the database,
 * and the configured superusers. Rebuilt lazily after either part changed.
 */
export class PolicyService {
  private engineCache?: { key: string; engine: PolicyEngine };

  constructor(private readonly options: PolicyServiceOptions) {}

  /** Both sources loaded at least once (until then every decision is DENY and readiness is red). */
  isLoaded(): boolean {
    return this.options.file.status().loaded && (this.options.runtime?.isLoaded() ?? true);
  }

  /** Changes whenever the policy in force changes: database version and policy file hash. */
  generation(): string {
    return `${this.options.runtime?.currentVersion() ?? 0}.${this.options.file.generation()}`;
  }

  merged(): PolicySet {
    const file = this.options.file.policy();
    const runtime = this.options.runtime?.policy() ?? { roles: [], grants: [], conditions: [] };
    const fileRoles = new Set(file.roles.map((r) => r.name));
    return {
      // A role of the same name in the file wins; the runtime's grants still apply to it.
      roles: [...file.roles, ...runtime.roles.filter((r) => !fileRoles.has(r.name))],
      grants: [...file.grants, ...runtime.grants],
      conditions: [...file.conditions, ...runtime.conditions],
    };
  }

  engine(): PolicyEngine {
    const key = this.generation();
    if (this.engineCache?.key !== key) {
      this.engineCache = {
        key,
        engine: new PolicyEngine({
          policy: this.isLoaded() ? this.merged() : { roles: [], grants: [], conditions: [] },
          superUsers: this.isLoaded() ? this.options.superUsers : [],
          pluginIdFor: this.options.pluginIdFor,
        }),
      };
    }
    return this.engineCache.engine;
  }

  /** Forget the built engine (the registry's plugin ids changed). */
  invalidate(): void {
    this.engineCache = undefined;
  }
}
