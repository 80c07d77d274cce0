import { InputError, NotAllowedError } from '@portal/platform';
import { parsePermission } from '../authorize/authorize-request.js';
import type { ConditionsApplier } from '../authorize/conditions-applier.js';
import type { DecisionExplanation } from '../policy/policy-engine.js';
import type { PolicyService } from '../policy/policy-service.js';
import type { Subject } from '../policy/types.js';
import { resolveOwnershipRefs, type EntityFetcher } from './ownership-resolver.js';

export interface ExplainRequest {
  user?: string;
  permission: unknown;
  resourceRef?: unknown;
}

export interface ExplainAnswer {
  user: {
    userEntityRef?: string;
    ownershipEntityRefs: string[];
    resolvedFrom: 'token' | 'catalog' | 'unresolved';
    note?: string;
  };
  permission: unknown;
  resourceRef?: string;
  result: 'ALLOW' | 'DENY' | 'CONDITIONAL';
  policyVersion: string;
  explanation: Omit<DecisionExplanation, 'decision'> & { decision: DecisionExplanation['decision'] };
  applyConditions?: { pluginId: string; result: unknown; error?: string };
}

export interface ExplainServiceOptions {
  policy: PolicyService;
  applier: ConditionsApplier;
  /** The catalog, on behalf of the caller (for another user's groups). */
  entities: (callerToken?: string) => EntityFetcher;
}

const USER_REF = /^user:([a-zA-Z0-9_.-]+\/)?[a-zA-Z0-9_.@-]+$/;

/**
 * For a user and a permission (and optionally a resource): the decision and everything that
 * produced it — roles matched and by which ref, grants considered, conditions produced and, with a
 * resource, the owning plugin's apply-conditions outcome.
 */
export class ExplainService {
  constructor(private readonly options: ExplainServiceOptions) {}

  async explain(body: unknown, caller: Subject, callerIsAdmin: boolean): Promise<ExplainAnswer> {
    if (typeof body !== 'object' || body === null)
      throw new InputError('The request must be {user?, permission, resourceRef?}');
    const req = body as ExplainRequest;
    const permission = parsePermission(req.permission, 'permission');
    if (req.resourceRef !== undefined && (typeof req.resourceRef !== 'string' || !req.resourceRef)) {
      throw new InputError('resourceRef must be a non-empty string');
    }
    const resourceRef = req.resourceRef as string | undefined;

    let subject: Subject = caller;
    let user: ExplainAnswer['user'] = {
      userEntityRef: caller.userEntityRef,
      ownershipEntityRefs: caller.ownershipEntityRefs,
      resolvedFrom: 'token',
    };
    if (req.user !== undefined && req.user !== caller.userEntityRef) {
      if (typeof req.user !== 'string' || !USER_REF.test(req.user))
        throw new InputError('user must be a user entity ref');
      if (!callerIsAdmin)
        throw new NotAllowedError('Explaining decisions for another user needs permission.policy.read');
      const userRef = req.user.toLowerCase().includes('/')
        ? req.user.toLowerCase()
        : req.user.toLowerCase().replace(':', ':default/');
      try {
        const { found, refs } = await resolveOwnershipRefs(userRef, this.options.entities(caller.userToken));
        user = {
          userEntityRef: userRef,
          ownershipEntityRefs: refs,
          resolvedFrom: 'catalog',
          ...(found ? {} : { note: 'the user is not in the catalog: decided with the user ref alone' }),
        };
      } catch (err) {
        user = {
          userEntityRef: userRef,
          ownershipEntityRefs: [userRef],
          resolvedFrom: 'unresolved',
          note: `the catalog is unreachable (${(err as Error).message}): decided with the user ref alone, group memberships unknown`,
        };
      }
      // The other user's token is not at hand: apply-conditions runs on behalf of the caller.
      subject = {
        userEntityRef: userRef,
        ownershipEntityRefs: user.ownershipEntityRefs,
        otherSubjects: [],
        userToken: caller.userToken,
      };
    }

    const { policy } = this.options;
    const explanation = policy.isLoaded()
      ? policy.engine().explain(permission, subject)
      : {
          decision: { result: 'DENY' as const },
          roles: [],
          grants: [],
          conditionalGrants: [],
          skipped: [],
          reason: 'the policy has not been loaded yet (fail closed)',
        };
    const answer: ExplainAnswer = {
      user,
      permission,
      ...(resourceRef ? { resourceRef } : {}),
      result: explanation.decision.result,
      policyVersion: policy.generation(),
      explanation,
    };
    const d = explanation.decision;
    if (d.result === 'CONDITIONAL' && resourceRef) {
      const outcomes = await this.options.applier.apply(
        d.pluginId!,
        [{ id: 'explain', resourceRef, resourceType: d.resourceType!, conditions: d.conditions! }],
        subject.userToken,
      );
      const outcome = outcomes.get('explain')!;
      answer.applyConditions = {
        pluginId: d.pluginId!,
        result: outcome.result,
        ...(outcome.error ? { error: outcome.error } : {}),
      };
      answer.result = outcome.result === 'ALLOW' ? 'ALLOW' : 'DENY';
    }
    return answer;
  }
}
