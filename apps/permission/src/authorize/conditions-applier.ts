import type { Logger } from 'pino';
import type { PermissionCriteria } from '../policy/types.js';
import { fetchWithTimeout, type PluginHttp } from '../registry/plugin-http.js';

export interface ApplyItem {
  id: string;
  resourceRef: string | string[];
  resourceType: string;
  conditions: PermissionCriteria;
}

export type AppliedResult = 'ALLOW' | 'DENY' | Array<'ALLOW' | 'DENY'>;

export interface ApplyOutcome {
  result: AppliedResult;
  /** Why the answer is a DENY that the plugin did not give (unreachable, bad answer). */
  error?: string;
}

function denyFor(item: ApplyItem, error: string): ApplyOutcome {
  return {
    result: Array.isArray(item.resourceRef) ? item.resourceRef.map(() => 'DENY' as const) : 'DENY',
    error,
  };
}

function valid(result: unknown, item: ApplyItem): result is AppliedResult {
  const one = (r: unknown) => r === 'ALLOW' || r === 'DENY';
  if (Array.isArray(item.resourceRef))
    return Array.isArray(result) && result.length === item.resourceRef.length && result.every(one);
  return one(result);
}

/**
 * Resolves conditional decisions for concrete resources by calling the owning plugin's
 * `POST /api/<pluginId>/.well-known/backstage/permissions/apply-conditions` as a service, on behalf
 * of the user. Fails closed: an unreachable plugin, an error status, a malformed or missing answer
 * → DENY for the items concerned, with the reason.
 */
export class ConditionsApplier {
  constructor(
    private readonly http: PluginHttp,
    private readonly logger: Logger,
    private readonly timeoutMs = 5000,
  ) {}

  async apply(pluginId: string, items: ApplyItem[], userToken?: string): Promise<Map<string, ApplyOutcome>> {
    const outcomes = new Map<string, ApplyOutcome>();
    if (!items.length) return outcomes;
    const denyAll = (error: string) => {
      this.logger.warn({ pluginId, err: error, items: items.length }, 'apply-conditions failed; denying');
      for (const item of items) outcomes.set(item.id, denyFor(item, error));
      return outcomes;
    };
    let body: unknown;
    try {
      const base = await this.http.baseUrl(pluginId);
      if (!base) return denyAll(`plugin '${pluginId}' is not available`);
      const res = await fetchWithTimeout(
        `${base}/api/${pluginId}/.well-known/backstage/permissions/apply-conditions`,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${await this.http.token(pluginId, userToken)}`,
          },
          body: JSON.stringify({ items }),
        },
        this.timeoutMs,
      );
      if (!res.ok) return denyAll(`plugin '${pluginId}' answered apply-conditions with ${res.status}`);
      body = await res.json();
    } catch (err) {
      return denyAll(`plugin '${pluginId}' could not apply conditions: ${(err as Error).message}`);
    }
    const answered = new Map<string, unknown>();
    const list = (body as { items?: unknown } | null)?.items;
    if (Array.isArray(list)) {
      for (const entry of list) {
        const e = entry as { id?: unknown; result?: unknown } | null;
        if (e && typeof e.id === 'string') answered.set(e.id, e.result);
      }
    }
    for (const item of items) {
      const result = answered.get(item.id);
      outcomes.set(
        item.id,
        valid(result, item)
          ? { result }
          : denyFor(item, `plugin '${pluginId}' gave no valid result for item '${item.id}'`),
      );
    }
    return outcomes;
  }
}
