import { needsUser, toCriteria } from './conditions.js';
import type {
  Action,
  ConditionalGrant,
  Grant,
  Permission,
  PermissionCriteria,
  PolicyDecision,
  PolicySet,
  Role,
  Subject,
} from './types.js';

/** Why a role applies to the subject: the membership ref that matched. */
export interface MatchedRole {
  name: string;
  source: Role['source'];
  matchedBy: string;
}

/** Everything that produced a decision, for explain. */
export interface DecisionExplanation {
  decision: PolicyDecision;
  superUser?: { matchedBy: string };
  roles: MatchedRole[];
  grants: Grant[];
  conditionalGrants: ConditionalGrant[];
  /** Conditional grants of matched roles that could not apply (e.g. they name the user and there is none). */
  skipped: Array<{ id: string; reason: string }>;
  reason: string;
}

export interface PolicyEngineOptions {
  policy: PolicySet;
  /** User and group refs (or `plugin:<id>` subjects) that may do anything. */
  superUsers: string[];
  /** The plugin owning a resource type (from the registry); a grant's own pluginId wins. */
  pluginIdFor?: (resourceType: string) => string | undefined;
}

/** The plugin id a resource type belongs to by Backstage's naming: `catalog-entity` → `catalog`. */
export function pluginIdByConvention(resourceType: string): string {
  const dash = resourceType.indexOf('-');
  return dash > 0 ? resourceType.slice(0, dash) : resourceType;
}

/** Whether a grant's permission pattern names `name`: exact, `*`, or `prefix.*`. */
export function permissionMatches(pattern: string, name: string): boolean {
  if (pattern === '*' || pattern === name) return true;
  if (pattern.endsWith('.*')) return name.startsWith(pattern.slice(0, -1));
  return false;
}

function actionMatches(action: Action | undefined, permission: Permission): boolean {
  if (action === undefined || action === '*') return true;
  // `use` is what Red Hat Developer Hub calls the action of permissions that have none.
  return (permission.attributes?.action ?? 'use') === action;
}

function grantMatches(grant: Grant, permission: Permission): boolean {
  if (grant.permission !== undefined && !permissionMatches(grant.permission, permission.name)) return false;
  if (grant.resourceType !== undefined && grant.resourceType !== permission.resourceType) return false;
  return actionMatches(grant.action, permission);
}

function conditionalMatches(grant: ConditionalGrant, permission: Permission): boolean {
  if (permission.type !== 'resource' || permission.resourceType !== grant.resourceType) return false;
  if (grant.permission !== undefined && !permissionMatches(grant.permission, permission.name)) return false;
  return actionMatches(grant.action, permission);
}

/** The refs a subject is known by: the user, their groups, and service/external subjects. */
export function identitiesOf(subject: Subject): string[] {
  const refs = new Set<string>(subject.ownershipEntityRefs.map((r) => r.toLowerCase()));
  if (subject.userEntityRef) refs.add(subject.userEntityRef.toLowerCase());
  for (const other of subject.otherSubjects) refs.add(other.toLowerCase());
  return [...refs];
}

/**
 * The unconditional grants that decide: those naming the permission (by name or pattern) when
 * there are any, else those naming its resource type (Red Hat Developer Hub's precedence).
 */
function decisiveGrants(matching: Grant[]): { decisive: Grant[]; overridden: Grant[] } {
  const named = matching.filter((g) => g.permission !== undefined);
  if (!named.length) return { decisive: matching, overridden: [] };
  return { decisive: named, overridden: matching.filter((g) => g.permission === undefined) };
}

/**
 * RBAC over a policy set: roles (members matched against the subject's user and group refs),
 * unconditional grants (allow or deny), conditional grants, superusers:
 * superuser → ALLOW; else the unconditional grants that decide (those naming the permission win
 * over those naming its resource type): a deny among them → DENY, else an allow → ALLOW; else
 * matching conditional grants → CONDITIONAL (several → anyOf); else DENY (default deny).
 */
export class PolicyEngine {
  private readonly superUsers: Set<string>;
  private readonly rolesByMember = new Map<string, Role[]>();
  private readonly grantsByRole = new Map<string, Grant[]>();
  private readonly conditionsByRole = new Map<string, ConditionalGrant[]>();

  constructor(private readonly options: PolicyEngineOptions) {
    this.superUsers = new Set(options.superUsers.map((r) => r.toLowerCase()));
    for (const role of options.policy.roles) {
      for (const member of role.members) {
        const key = member.toLowerCase();
        this.rolesByMember.set(key, [...(this.rolesByMember.get(key) ?? []), role]);
      }
    }
    for (const grant of options.policy.grants) {
      this.grantsByRole.set(grant.role, [...(this.grantsByRole.get(grant.role) ?? []), grant]);
    }
    for (const grant of options.policy.conditions) {
      this.conditionsByRole.set(grant.role, [...(this.conditionsByRole.get(grant.role) ?? []), grant]);
    }
  }

  /** The roles the subject has, each with the ref that made it a member. */
  rolesOf(subject: Subject): MatchedRole[] {
    const matched = new Map<string, MatchedRole>();
    for (const ref of identitiesOf(subject)) {
      for (const role of this.rolesByMember.get(ref) ?? []) {
        if (!matched.has(role.name))
          matched.set(role.name, { name: role.name, source: role.source, matchedBy: ref });
      }
    }
    return [...matched.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  decide(permission: Permission, subject: Subject): PolicyDecision {
    return this.explain(permission, subject).decision;
  }

  explain(permission: Permission, subject: Subject): DecisionExplanation {
    const roles = this.rolesOf(subject);
    const superUser = identitiesOf(subject).find((ref) => this.superUsers.has(ref));
    const { decisive: grants, overridden } = decisiveGrants(
      roles.flatMap((r) => this.grantsByRole.get(r.name) ?? []).filter((g) => grantMatches(g, permission)),
    );
    const deny = grants.find((g) => g.effect === 'deny');
    const allow = grants.find((g) => g.effect !== 'deny');
    const candidates = roles
      .flatMap((r) => this.conditionsByRole.get(r.name) ?? [])
      .filter((g) => conditionalMatches(g, permission));
    const skipped: DecisionExplanation['skipped'] = overridden.map((g) => ({
      id: g.id,
      reason: 'a grant naming the permission takes precedence over grants naming its resource type',
    }));
    const conditionalGrants = candidates.filter((g) => {
      if (deny) {
        skipped.push({ id: g.id, reason: `denied by grant '${deny.id}' of role '${deny.role}'` });
        return false;
      }
      if (!subject.userEntityRef && needsUser(g.conditions)) {
        skipped.push({ id: g.id, reason: 'its conditions name the user and the decision is for no user' });
        return false;
      }
      return true;
    });
    const base = { roles, grants, conditionalGrants, skipped };

    if (superUser) {
      return {
        ...base,
        superUser: { matchedBy: superUser },
        decision: { result: 'ALLOW' },
        reason: `superuser (${superUser})`,
      };
    }
    if (deny) {
      return {
        ...base,
        decision: { result: 'DENY' },
        reason: `denied to role '${deny.role}' (grant '${deny.id}'); a deny wins over allows`,
      };
    }
    if (allow) {
      return { ...base, decision: { result: 'ALLOW' }, reason: `granted to role '${allow.role}'` };
    }
    if (conditionalGrants.length) {
      const resourceType = permission.resourceType!;
      const criteria = conditionalGrants.map((g) => toCriteria(g.conditions, resourceType, subject));
      const conditions: PermissionCriteria = criteria.length === 1 ? criteria[0]! : { anyOf: criteria };
      const pluginId =
        conditionalGrants.find((g) => g.pluginId)?.pluginId ??
        this.options.pluginIdFor?.(resourceType) ??
        pluginIdByConvention(resourceType);
      return {
        ...base,
        decision: { result: 'CONDITIONAL', pluginId, resourceType, conditions },
        reason: `conditionally granted to ${[...new Set(conditionalGrants.map((g) => `role '${g.role}'`))].join(', ')}`,
      };
    }
    return {
      ...base,
      decision: { result: 'DENY' },
      reason: roles.length
        ? 'no grant of the matched roles covers this permission'
        : 'no role matches (default deny)',
    };
  }
}
