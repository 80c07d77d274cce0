import type { Logger } from 'pino';
import type { RuleMetadata } from '../policy/conditions.js';
import type { Permission } from '../policy/types.js';
import { fetchWithTimeout, type PluginHttp } from './plugin-http.js';

export interface PluginPermissions {
  pluginId: string;
  permissions: Permission[];
  rules: RuleMetadata[];
  fetchedAt: string;
}

export interface PermissionRegistryOptions {
  http: PluginHttp;
  logger: Logger;
  /** How often the plugin list is checked for new plugins (5 s). */
  discoverEveryMs?: number;
  /** How often every plugin's metadata is fetched again (60 s). */
  refreshEveryMs?: number;
  timeoutMs?: number;
  /** Called when a plugin's metadata changed. */
  onChange?: () => void;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Keeps the well-formed parts of a metadata response; anything else is dropped. */
export function parseMetadata(
  body: unknown,
): { permissions: Permission[]; rules: RuleMetadata[] } | undefined {
  if (!isObject(body)) return undefined;
  const permissions = (Array.isArray(body.permissions) ? body.permissions : []).filter(
    (p): p is Permission =>
      isObject(p) &&
      typeof p.name === 'string' &&
      (p.type === 'basic' || (p.type === 'resource' && typeof p.resourceType === 'string')),
  );
  const rules = (Array.isArray(body.rules) ? body.rules : [])
    .filter(
      (r): r is Record<string, unknown> =>
        isObject(r) && typeof r.name === 'string' && typeof r.resourceType === 'string',
    )
    .map((r) => ({
      name: r.name as string,
      resourceType: r.resourceType as string,
      ...(typeof r.description === 'string' ? { description: r.description } : {}),
      ...(isObject(r.paramsSchema) ? { paramsSchema: r.paramsSchema } : {}),
    }));
  return { permissions, rules };
}

/**
 * The permissions and rules every installed plugin publishes at
 * `/api/<pluginId>/.well-known/backstage/permissions/metadata`, collected through discovery: new
 * plugins are noticed every few seconds, everything is fetched again every minute. Plugins that
 * serve no metadata are skipped quietly.
 */
export class PermissionRegistry {
  private readonly plugins = new Map<string, PluginPermissions>();
  private readonly silent = new Set<string>();
  private discoverTimer?: NodeJS.Timeout;
  private refreshTimer?: NodeJS.Timeout;

  constructor(private readonly options: PermissionRegistryOptions) {}

  list(): PluginPermissions[] {
    return [...this.plugins.values()].sort((a, b) => a.pluginId.localeCompare(b.pluginId));
  }

  /** The rules published for a resource type, or undefined when no plugin published any. */
  rulesFor(resourceType: string): RuleMetadata[] | undefined {
    const rules = this.list().flatMap((p) => p.rules.filter((r) => r.resourceType === resourceType));
    return rules.length ? rules : undefined;
  }

  /** The plugin whose rules or permissions name the resource type. */
  pluginIdFor(resourceType: string): string | undefined {
    return this.list().find(
      (p) =>
        p.rules.some((r) => r.resourceType === resourceType) ||
        p.permissions.some((x) => x.resourceType === resourceType),
    )?.pluginId;
  }

  start(): void {
    void this.discover(true);
    this.discoverTimer = setInterval(() => void this.discover(false), this.options.discoverEveryMs ?? 5000);
    this.discoverTimer.unref();
    this.refreshTimer = setInterval(() => void this.discover(true), this.options.refreshEveryMs ?? 60_000);
    this.refreshTimer.unref();
  }

  stop(): void {
    if (this.discoverTimer) clearInterval(this.discoverTimer);
    if (this.refreshTimer) clearInterval(this.refreshTimer);
  }

  /** Fetches the metadata of new plugins (all plugins when `all`). */
  async discover(all: boolean): Promise<void> {
    let ids: string[];
    try {
      ids = await this.options.http.plugins();
    } catch (err) {
      this.options.logger.debug(
        { err: (err as Error).message },
        'cannot list plugins for the permission registry',
      );
      return;
    }
    for (const id of [...this.plugins.keys()]) if (!ids.includes(id)) this.plugins.delete(id);
    const todo = ids.filter((id) => all || (!this.plugins.has(id) && !this.silent.has(id)));
    await Promise.all(todo.map((id) => this.fetchPlugin(id)));
  }

  async fetchPlugin(pluginId: string): Promise<void> {
    try {
      const base = await this.options.http.baseUrl(pluginId);
      if (!base) return;
      const res = await fetchWithTimeout(
        `${base}/api/${pluginId}/.well-known/backstage/permissions/metadata`,
        { headers: { authorization: `Bearer ${await this.options.http.token(pluginId)}` } },
        this.options.timeoutMs ?? 5000,
      );
      const metadata = res.ok ? parseMetadata(await res.json().catch(() => undefined)) : undefined;
      if (!metadata) {
        this.silent.add(pluginId);
        return;
      }
      this.silent.delete(pluginId);
      const before =
        JSON.stringify(this.plugins.get(pluginId)?.rules) +
        JSON.stringify(this.plugins.get(pluginId)?.permissions);
      this.plugins.set(pluginId, { pluginId, ...metadata, fetchedAt: new Date().toISOString() });
      if (before !== JSON.stringify(metadata.rules) + JSON.stringify(metadata.permissions)) {
        this.options.logger.info(
          { pluginId, permissions: metadata.permissions.length, rules: metadata.rules.length },
          'permission metadata collected',
        );
        this.options.onChange?.();
      }
    } catch (err) {
      this.options.logger.debug({ pluginId, err: (err as Error).message }, 'no permission metadata');
      this.silent.add(pluginId);
    }
  }
}
