import { createHash } from 'node:crypto';
import type { CacheService } from '@portal/platform';
import type { Logger } from 'pino';
import { identitiesOf } from '../policy/policy-engine.js';
import type { PolicyService } from '../policy/policy-service.js';
import type { Permission, PermissionCriteria, PolicyDecision, Subject } from '../policy/types.js';
import type { AuthorizeQuery } from './authorize-request.js';
import type { ApplyItem, ConditionsApplier } from './conditions-applier.js';

export type AuthorizeDecision =
  | { id: string; result: 'ALLOW' | 'DENY' | Array<'ALLOW' | 'DENY'> }
  | {
      id: string;
      result: 'CONDITIONAL';
      pluginId: string;
      resourceType: string;
      conditions: PermissionCriteria;
    };

export interface AuthorizeServiceOptions {
  policy: PolicyService;
  applier: ConditionsApplier;
  cache?: CacheService;
  cacheTtlMs?: number;
  logger: Logger;
}

/** The cache key part that names whom a decision is for (hash of their sorted identities). */
export function subjectKey(subject: Subject): string {
  const ids = identitiesOf(subject).sort();
  return createHash('sha256')
    .update(JSON.stringify([subject.userEntityRef ?? null, ids]))
    .digest('base64url')
    .slice(0, 32);
}

function permissionKey(permission: Permission): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        permission.type,
        permission.name,
        permission.resourceType ?? null,
        permission.attributes.action ?? null,
      ]),
    )
    .digest('base64url')
    .slice(0, 24);
}

/**
 * Backstage's authorize: a policy decision per item (cached per subject, permission and policy
 * generation), then, for CONDITIONAL decisions about concrete resources, the owning plugin's
 * apply-conditions (batched per plugin) turns them into ALLOW/DENY. Items keep their order and ids.
 * Anything that cannot be decided is a DENY.
 */
export class AuthorizeService {
  constructor(private readonly options: AuthorizeServiceOptions) {}

  /** The policy's decision for one permission (no resource), from the cache when possible. */
  async decide(permission: Permission, subject: Subject): Promise<PolicyDecision> {
    const { policy, cache } = this.options;
    if (!policy.isLoaded()) return { result: 'DENY' };
    // The generation (database policy version + file hash) is part of the key: a policy change on
    // any replica moves it, so no stale decision is ever read.
    const key = `${policy.generation()}:${subjectKey(subject)}:${permissionKey(permission)}`;
    if (cache) {
      const hit = await cache.get<PolicyDecision>(key).catch(() => undefined);
      if (hit && typeof hit.result === 'string') return hit;
    }
    const decision = policy.engine().decide(permission, subject);
    if (cache)
      await cache.set(key, decision, { ttlMs: this.options.cacheTtlMs ?? 60_000 }).catch(() => undefined);
    return decision;
  }

  async authorize(queries: AuthorizeQuery[], subject: Subject): Promise<AuthorizeDecision[]> {
    const decisions = await Promise.all(
      queries.map(async (q) => {
        try {
          return await this.decide(q.permission, subject);
        } catch (err) {
          this.options.logger.error({ err, permission: q.permission.name }, 'decision failed; denying');
          return { result: 'DENY' } as PolicyDecision;
        }
      }),
    );
    const out: AuthorizeDecision[] = [];
    const toApply = new Map<string, ApplyItem[]>();
    queries.forEach((q, i) => {
      const d = decisions[i]!;
      if (d.result !== 'CONDITIONAL') {
        const result = d.result;
        out.push({
          id: q.id,
          result: Array.isArray(q.resourceRef) ? q.resourceRef.map(() => result) : result,
        });
        return;
      }
      if (q.resourceRef === undefined) {
        out.push({
          id: q.id,
          result: 'CONDITIONAL',
          pluginId: d.pluginId!,
          resourceType: d.resourceType!,
          conditions: d.conditions!,
        });
        return;
      }
      const items = toApply.get(d.pluginId!) ?? [];
      items.push({
        id: q.id,
        resourceRef: q.resourceRef,
        resourceType: d.resourceType!,
        conditions: d.conditions!,
      });
      toApply.set(d.pluginId!, items);
      out.push({ id: q.id, result: 'DENY' }); // replaced below
    });
    if (toApply.size) {
      const results = await Promise.all(
        [...toApply.entries()].map(([pluginId, items]) =>
          this.options.applier.apply(pluginId, items, subject.userToken),
        ),
      );
      const byId = new Map(results.flatMap((m) => [...m.entries()]));
      for (const [i, item] of out.entries()) {
        const applied = byId.get(item.id);
        if (applied) out[i] = { id: item.id, result: applied.result };
      }
    }
    return out;
  }
}
