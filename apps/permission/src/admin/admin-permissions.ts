import { NotAllowedError, type Principal } from '@portal/platform';
import { subjectOf } from '../authorize/subject.js';
import type { PolicyService } from '../policy/policy-service.js';
import type { Permission } from '../policy/types.js';

/** The permission service's own permissions: reading and changing the policy. */
export const policyReadPermission: Permission = {
  type: 'basic',
  name: 'permission.policy.read',
  attributes: { action: 'read' },
};
export const policyWritePermission: Permission = {
  type: 'basic',
  name: 'permission.policy.write',
  attributes: { action: 'update' },
};

/** Whether the caller is allowed `permission` by the policy (superusers always are). */
export function isAllowed(
  policy: PolicyService,
  principal: Principal | undefined,
  permission: Permission,
): boolean {
  if (!principal || !policy.isLoaded()) return false;
  return policy.engine().decide(permission, subjectOf(principal)).result === 'ALLOW';
}

export function requireAllowed(
  policy: PolicyService,
  principal: Principal | undefined,
  permission: Permission,
): void {
  if (!isAllowed(policy, principal, permission))
    throw new NotAllowedError(`Missing permission ${permission.name}`);
}
