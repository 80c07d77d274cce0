import { permissionV1 } from '@portal/proto';
import type { Logger } from 'pino';
import type { Principal } from '../auth/principal.js';
import type { Config } from '../config/config.js';
import { InputError, ServiceUnavailableError } from '../errors/errors.js';
import type { GrpcClients, UnaryMethod } from '../grpc/grpc-clients.js';
import { parsePermissionCriteria } from './rules.js';
import {
  AuthorizeResult,
  type AuthorizeQuery,
  type DefinitivePolicyDecision,
  type PolicyDecision,
} from './types.js';

/** The plugin id the permission service registers under. */
export const PERMISSION_PLUGIN_ID = 'permission';

export interface PermissionsServiceOptions {
  /** Backstage's `permission.enabled`: when false every request is allowed without asking. */
  enabled: boolean;
  grpcClients: Pick<GrpcClients, 'unary'>;
  logger?: Logger;
  /** Per-attempt deadline of an Authorize call; default 3 s. */
  deadlineMs?: number;
  /** Attempts when the permission service is UNAVAILABLE (another instance each time); default 3. */
  attempts?: number;
}

const ALLOW: DefinitivePolicyDecision = { result: AuthorizeResult.ALLOW };
const DENY: DefinitivePolicyDecision = { result: AuthorizeResult.DENY };

/**
 * Who a decision is asked for:
 * - a user: the permission service decides for that user (its token goes as `obo`);
 * - a service calling on a user's behalf (service token with `obo`): treated as that user;
 * - a service without `obo`: allowed. Plugins trust each other, as in Backstage, where a plugin's own
 *   (non-user) credentials pass the permission framework; the user-facing checks happen where a
 *   user's request enters;
 * - an external static token (`backend.auth.externalAccess`): allowed, as Backstage treats these
 *   service-like callers; which plugins it reaches is limited by its `accessRestrictions` at the auth
 *   layer. (Per-permission restrictions of external tokens are not enforced yet.)
 * - no principal at all (an unauthenticated route): denied.
 */
function subjectOf(principal: Principal | undefined): { obo: string } | 'allow' | 'deny' {
  if (!principal) return 'deny';
  if (principal.type === 'user') return { obo: principal.token };
  if (principal.type === 'service')
    return principal.onBehalfOf ? { obo: principal.onBehalfOf.token } : 'allow';
  return 'allow';
}

function memoKey(query: AuthorizeQuery): string {
  return JSON.stringify([query.permission.type, query.permission.name, query.resourceRef ?? null]);
}

/**
 * Asks the permission service (gRPC `portal.permission.v1.PermissionService/Authorize`) for
 * decisions, for the caller of the current request. Fail closed: if the permission service cannot
 * be reached or answers nonsense, a ServiceUnavailableError (503) is thrown, never an ALLOW.
 * Decisions are memoised per principal object, i.e. per request (the auth guard builds one
 * principal per request), so that one request asking the same question twice makes one call.
 */
export class PermissionsService {
  private readonly memo = new WeakMap<Principal, Map<string, Promise<PolicyDecision>>>();

  constructor(private readonly options: PermissionsServiceOptions) {}

  /** From `permission.enabled` (default false). */
  static fromConfig(
    config: Config,
    grpcClients: Pick<GrpcClients, 'unary'>,
    logger?: Logger,
  ): PermissionsService {
    return new PermissionsService({
      enabled: config.getOptionalBoolean('permission.enabled') ?? false,
      grpcClients,
      logger,
    });
  }

  get enabled(): boolean {
    return this.options.enabled;
  }

  /** ALLOW or DENY for each query (Backstage's `authorize`): a CONDITIONAL answer is an error. */
  async authorize(
    queries: AuthorizeQuery[],
    principal: Principal | undefined,
  ): Promise<DefinitivePolicyDecision[]> {
    const decisions = await this.authorizeConditional(queries, principal);
    return decisions.map((d, i) => {
      if (d.result === AuthorizeResult.CONDITIONAL) {
        throw new InputError(
          `Permission ${queries[i]!.permission.name} got a conditional decision; use authorizeConditional`,
        );
      }
      return d;
    });
  }

  /** ALLOW, DENY or CONDITIONAL for each query (Backstage's `authorizeConditional`). */
  async authorizeConditional(
    queries: AuthorizeQuery[],
    principal: Principal | undefined,
  ): Promise<PolicyDecision[]> {
    if (!this.options.enabled) return queries.map(() => ALLOW);
    const subject = subjectOf(principal);
    if (subject === 'allow') return queries.map(() => ALLOW);
    if (subject === 'deny') return queries.map(() => DENY);
    for (const q of queries) {
      if (q.resourceRef !== undefined && q.permission.type !== 'resource') {
        throw new InputError(`Permission ${q.permission.name} is not a resource permission`);
      }
    }
    let memo = this.memo.get(principal!);
    if (!memo) {
      memo = new Map();
      this.memo.set(principal!, memo);
    }
    const results: Array<Promise<PolicyDecision> | undefined> = queries.map((q) => memo.get(memoKey(q)));
    const missing = queries.map((q, i) => ({ q, i })).filter(({ i }) => results[i] === undefined);
    if (missing.length) {
      const call = this.call(
        missing.map(({ q }) => q),
        subject.obo,
      );
      missing.forEach(({ q, i }, n) => {
        const key = memoKey(q);
        const one = call.then((decisions) => decisions[n]!);
        // A failure is not remembered: the next request asks again.
        one.catch(() => memo.delete(key));
        memo.set(key, one);
        results[i] = one;
      });
    }
    return Promise.all(results as Array<Promise<PolicyDecision>>);
  }

  private async call(queries: AuthorizeQuery[], obo: string): Promise<PolicyDecision[]> {
    const request: permissionV1.AuthorizeRequest = {
      items: queries.map((q, i) => ({
        id: String(i),
        permissionJson: JSON.stringify(q.permission),
        resourceRef: q.resourceRef ?? '',
      })),
    };
    let response: permissionV1.AuthorizeResponse;
    try {
      response = await this.options.grpcClients.unary(
        PERMISSION_PLUGIN_ID,
        permissionV1.PermissionServiceClient,
        (client) =>
          client.authorize as unknown as UnaryMethod<
            permissionV1.AuthorizeRequest,
            permissionV1.AuthorizeResponse
          >,
        request,
        {
          onBehalfOf: obo,
          deadlineMs: this.options.deadlineMs ?? 3000,
          attempts: this.options.attempts ?? 3,
        },
      );
    } catch (err) {
      this.options.logger?.warn({ err: (err as Error).message }, 'permission service call failed, denying');
      throw new ServiceUnavailableError(
        `Permission decision unavailable: ${(err as Error).message || 'permission service unreachable'}`,
        err,
      );
    }
    return parseDecisions(response, queries);
  }
}

/** The response's decisions in request order; anything malformed is a ServiceUnavailableError. */
function parseDecisions(
  response: permissionV1.AuthorizeResponse,
  queries: AuthorizeQuery[],
): PolicyDecision[] {
  const bad = (why: string) => new ServiceUnavailableError(`Permission service answered badly: ${why}`);
  const byId = new Map<string, permissionV1.Decision>();
  for (const item of response.items ?? []) byId.set(item.id, item);
  if (byId.size !== queries.length || (response.items ?? []).length !== queries.length) {
    throw bad(`expected ${queries.length} decisions, got ${(response.items ?? []).length}`);
  }
  return queries.map((q, i) => {
    const item = byId.get(String(i));
    if (!item) throw bad(`no decision for item ${i}`);
    if (item.result === AuthorizeResult.ALLOW) return ALLOW;
    if (item.result === AuthorizeResult.DENY) return DENY;
    if (item.result !== AuthorizeResult.CONDITIONAL) throw bad(`unknown result '${item.result}'`);
    if (q.permission.type !== 'resource' || q.resourceRef !== undefined) {
      throw bad(`conditional decision for ${q.permission.name}, which cannot be conditional here`);
    }
    if (item.resourceType !== q.permission.resourceType) {
      throw bad(
        `conditions for resource type '${item.resourceType}', expected '${q.permission.resourceType}'`,
      );
    }
    let conditions;
    try {
      conditions = parsePermissionCriteria(JSON.parse(item.conditionsJson) as unknown);
    } catch (err) {
      throw bad(`invalid conditions (${(err as Error).message})`);
    }
    return {
      result: AuthorizeResult.CONDITIONAL,
      pluginId: item.pluginId,
      resourceType: item.resourceType,
      conditions,
    };
  });
}
