/** Backstage's permission object, as PermissionClient sends it. */
export interface Permission {
  type: 'basic' | 'resource';
  name: string;
  attributes: { action?: 'create' | 'read' | 'update' | 'delete' };
  resourceType?: string;
}

/**
 * What a grant's action matches: a permission's `attributes.action`; `use` (Red Hat Developer Hub's
 * name) matches permissions that have no action; `*` matches any.
 */
export type Action = 'create' | 'read' | 'update' | 'delete' | 'use' | '*';
export const ACTIONS: readonly Action[] = ['create', 'read', 'update', 'delete', 'use', '*'];

/** An unconditional grant allows (the default) or denies. */
export type Effect = 'allow' | 'deny';
export const EFFECTS: readonly Effect[] = ['allow', 'deny'];

/** A leaf of a condition tree as written in a policy: the rule of the owning plugin and its params. */
export interface ConditionLeaf {
  rule: string;
  params?: Record<string, unknown>;
}

/** allOf / anyOf / not of leaves, as written in a policy (leaves carry no resourceType yet). */
export type ConditionTree =
  ConditionLeaf | { allOf: ConditionTree[] } | { anyOf: ConditionTree[] } | { not: ConditionTree };

/** Backstage's PermissionCriteria of PermissionCondition, as sent to clients and plugins. */
export type PermissionCriteria =
  | { rule: string; resourceType: string; params?: Record<string, unknown> }
  | { allOf: PermissionCriteria[] }
  | { anyOf: PermissionCriteria[] }
  | { not: PermissionCriteria };

/** Where a piece of policy came from: the policy file (read-only through the API) or the database. */
export type PolicySource = 'file' | 'database';

export interface Role {
  name: string;
  /** User and group refs (`user:default/jane`, `group:default/team-a`) or a service subject `plugin:<id>`. */
  members: string[];
  description?: string;
  source: PolicySource;
}

/**
 * An unconditional grant for a role: a permission (name, `*` or a `prefix.*` pattern), or a
 * resource type, optionally narrowed by an action. It allows, or with `effect: 'deny'` denies.
 */
export interface Grant {
  id: string;
  role: string;
  permission?: string;
  resourceType?: string;
  action?: Action;
  /** Absent: allow. */
  effect?: Effect;
  source: PolicySource;
}

/** A conditional allow for a role on a resource type (optionally narrowed to one permission or action). */
export interface ConditionalGrant {
  id: string;
  role: string;
  resourceType: string;
  /** The plugin that owns the resource type; found through the registry when omitted. */
  pluginId?: string;
  permission?: string;
  action?: Action;
  conditions: ConditionTree;
  source: PolicySource;
}

export interface PolicySet {
  roles: Role[];
  grants: Grant[];
  conditions: ConditionalGrant[];
}

export const emptyPolicySet = (): PolicySet => ({ roles: [], grants: [], conditions: [] });

/** Whom a decision is for. */
export interface Subject {
  /** The user, when there is one (a user token, or a service token's obo). */
  userEntityRef?: string;
  /** The user and their groups (the token's `ent`); empty without a user. */
  ownershipEntityRefs: string[];
  /** Non-user identities the caller has: `plugin:<id>`, `external:<subject>`. */
  otherSubjects: string[];
  /** The verified user token, forwarded as obo to apply-conditions. */
  userToken?: string;
}

export type DecisionResult = 'ALLOW' | 'DENY' | 'CONDITIONAL';

export interface PolicyDecision {
  result: DecisionResult;
  pluginId?: string;
  resourceType?: string;
  conditions?: PermissionCriteria;
}
