import { withDatabase, type PlatformContext } from '@portal/platform';
import { AuthorizeService } from './authorize/authorize-service.js';
import { ConditionsApplier } from './authorize/conditions-applier.js';
import { catalogEntityFetcher } from './explain/ownership-resolver.js';
import { ExplainService } from './explain/explain-service.js';
import { validateAgainstRules } from './policy/conditions.js';
import { PolicyFileSource } from './policy/policy-file-source.js';
import { PolicyService } from './policy/policy-service.js';
import type { PolicySet } from './policy/types.js';
import { readPermissionSettings, type PermissionSettings } from './permission-settings.js';
import { PermissionRegistry } from './registry/permission-registry.js';
import { discoveryPluginHttp, type PluginHttp } from './registry/plugin-http.js';
import { PolicyStore } from './storage/policy-store.js';
import { RuntimePolicySync } from './storage/runtime-policy-sync.js';

/**
 * Everything the permission service is made of, wired once from the platform context: the policy
 * file, the runtime policy and its sync, the registry, the engine behind PolicyService, authorize
 * and explain. Started once the database is migrated; readiness (`policy`) is red until the first
 * policy load.
 */
export class PermissionRuntime {
  readonly settings: PermissionSettings;
  readonly file: PolicyFileSource;
  readonly sync: RuntimePolicySync;
  readonly registry: PermissionRegistry;
  readonly policy: PolicyService;
  readonly store: PolicyStore;
  readonly authorize: AuthorizeService;
  readonly explain: ExplainService;
  private stopped = false;

  constructor(private readonly context: PlatformContext) {
    const { config, logger } = context;
    const log = logger.child({ component: 'permission' });
    this.settings = readPermissionSettings(config);
    const database = context.database!;
    const http: PluginHttp = context.discovery
      ? discoveryPluginHttp(context.discovery, context.serviceTokens)
      : {
          baseUrl: async () => undefined,
          token: (id, obo) => context.serviceTokens.issue(id, obo ? { onBehalfOf: obo } : {}),
          plugins: async () => [],
        };
    this.registry = new PermissionRegistry({
      http,
      logger: log,
      discoverEveryMs: this.settings.discoverEveryMs,
      refreshEveryMs: this.settings.refreshEveryMs,
      onChange: () => this.policy.invalidate(),
    });
    this.file = new PolicyFileSource({
      path: this.settings.policyFile,
      logger: log,
      debounceMs: this.settings.policyFileDebounceMs,
      validate: (policy: PolicySet) =>
        policy.conditions.forEach((c, i) =>
          validateAgainstRules(
            c.conditions,
            c.resourceType,
            this.registry.rulesFor(c.resourceType),
            `conditions[${i}].conditions`,
          ),
        ),
    });
    const connection = config.getOptionalString('backend.database.connection');
    this.sync = new RuntimePolicySync({
      dataSource: database.dataSource,
      listenUrl: connection ? withDatabase(connection, database.name) : undefined,
      logger: log,
      pollMs: this.settings.policyPollMs,
    });
    this.policy = new PolicyService({
      file: this.file,
      runtime: this.sync,
      superUsers: this.settings.superUsers,
      pluginIdFor: (resourceType) => this.registry.pluginIdFor(resourceType),
    });
    this.store = new PolicyStore({
      dataSource: database.dataSource,
      filePolicy: () => this.file.policy(),
      rulesFor: (resourceType) => this.registry.rulesFor(resourceType),
      onChanged: () => this.sync.check(),
    });
    const applier = new ConditionsApplier(http, log, this.settings.applyConditionsTimeoutMs);
    this.authorize = new AuthorizeService({
      policy: this.policy,
      applier,
      cache: context.cache.withNamespace('decisions'),
      cacheTtlMs: this.settings.cacheTtlMs,
      logger: log,
    });
    this.explain = new ExplainService({
      policy: this.policy,
      applier,
      entities: (token) => catalogEntityFetcher(context.grpcClients, token),
    });
    context.readiness.require('policy', 'The permission policy has not been loaded');
  }

  /** Loads the policy file, then (once the database is migrated) the runtime policy; follows both. */
  async start(): Promise<void> {
    const { readiness, logger } = this.context;
    await this.file.load();
    this.file.watch();
    this.registry.start();
    await this.context.database!.whenStarted();
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        await this.sync.start();
        break;
      } catch (err) {
        logger.warn({ err: (err as Error).message }, 'runtime policy not loaded yet, retrying');
        await new Promise((r) => setTimeout(r, Math.min(500 * 2 ** attempt, 5000)));
      }
    }
    const update = () => readiness.set('policy', this.policy.isLoaded());
    update();
    if (!this.policy.isLoaded()) {
      // The policy file has never parsed: stay unready until it does.
      const timer = setInterval(() => {
        update();
        if (this.policy.isLoaded() || this.stopped) clearInterval(timer);
      }, 500);
      timer.unref();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.file.close();
    this.registry.stop();
    await this.sync.stop();
  }
}
