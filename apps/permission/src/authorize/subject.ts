import type { Principal } from '@portal/platform';
import type { Subject } from '../policy/types.js';

/**
 * Whom decisions are for: a user token's user; a service token's `obo` user (only the user: what
 * a plugin is granted never flows to the users it acts for); a service token without obo → no user,
 * only grants to `plugin:<id>`; an external caller → only grants to `external:<subject>`.
 */
export function subjectOf(principal: Principal | undefined): Subject {
  if (!principal) return { ownershipEntityRefs: [], otherSubjects: [] };
  if (principal.type === 'user') {
    return {
      userEntityRef: principal.userEntityRef,
      ownershipEntityRefs: principal.ownershipEntityRefs,
      otherSubjects: [],
      userToken: principal.token,
    };
  }
  if (principal.type === 'service') {
    const user = principal.onBehalfOf;
    if (user) {
      return {
        userEntityRef: user.userEntityRef,
        ownershipEntityRefs: user.ownershipEntityRefs,
        otherSubjects: [],
        userToken: user.token,
      };
    }
    return { ownershipEntityRefs: [], otherSubjects: [principal.subject] };
  }
  return { ownershipEntityRefs: [], otherSubjects: [principal.subject] };
}

/** Who made a change, for the audit trail. */
export function actorOf(principal: Principal | undefined): string {
  if (!principal) return 'anonymous';
  if (principal.type === 'user') return principal.userEntityRef;
  if (principal.type === 'service')
    return principal.onBehalfOf
      ? `${principal.onBehalfOf.userEntityRef} via ${principal.subject}`
      : principal.subject;
  return principal.subject;
}
