/**
 * Backstage's permission types (`@backstage/plugin-permission-common`), with the same names and JSON
 * shapes, so that policies, conditions and decisions carry over unchanged.
 */

/** What a permission does to its resource, as Backstage's `PermissionAttributes.action`. */
export interface PermissionAttributes {
  action?: 'create' | 'read' | 'update' | 'delete';
}

/** A permission on no particular resource (`catalog.location.create`). */
export interface BasicPermission {
  type: 'basic';
  name: string;
  attributes: PermissionAttributes;
}

/** A permission on one resource of a type (`catalog.entity.read` on `catalog-entity`). */
export interface ResourcePermission<TResourceType extends string = string> {
  type: 'resource';
  name: string;
  attributes: PermissionAttributes;
  resourceType: TResourceType;
}

export type Permission = BasicPermission | ResourcePermission;

/** Backstage's `createPermission`: a resource permission when a resourceType is given. */
export function createPermission<TResourceType extends string>(input: {
  name: string;
  attributes: PermissionAttributes;
  resourceType: TResourceType;
}): ResourcePermission<TResourceType>;
export function createPermission(input: { name: string; attributes: PermissionAttributes }): BasicPermission;
export function createPermission(input: {
  name: string;
  attributes: PermissionAttributes;
  resourceType?: string;
}): Permission {
  const attributes = { ...input.attributes };
  return input.resourceType !== undefined
    ? { type: 'resource', name: input.name, attributes, resourceType: input.resourceType }
    : { type: 'basic', name: input.name, attributes };
}

export function isResourcePermission<T extends string>(
  permission: Permission,
  resourceType?: T,
): permission is ResourcePermission<T> {
  return (
    permission.type === 'resource' && (resourceType === undefined || permission.resourceType === resourceType)
  );
}

/** Backstage's `AuthorizeResult` (the string values travel as they are). */
export enum AuthorizeResult {
  ALLOW = 'ALLOW',
  DENY = 'DENY',
  CONDITIONAL = 'CONDITIONAL',
}

/** A leaf of a condition tree: a rule of the owning plugin applied with these params. */
export interface PermissionCondition<TResourceType extends string = string> {
  rule: string;
  resourceType: TResourceType;
  params?: Record<string, unknown>;
}

/** `allOf` / `anyOf` / `not` over conditions, as Backstage's `PermissionCriteria`. */
export type PermissionCriteria<T> =
  | { allOf: PermissionCriteria<T>[] }
  | { anyOf: PermissionCriteria<T>[] }
  | { not: PermissionCriteria<T> }
  | T;

export type PermissionConditions<TResourceType extends string = string> = PermissionCriteria<
  PermissionCondition<TResourceType>
>;

export interface DefinitivePolicyDecision {
  result: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
}

export interface ConditionalPolicyDecision {
  result: AuthorizeResult.CONDITIONAL;
  pluginId: string;
  resourceType: string;
  conditions: PermissionConditions;
}

export type PolicyDecision = DefinitivePolicyDecision | ConditionalPolicyDecision;

/** One question: a permission, and for resource permissions optionally the resource it is about. */
export interface AuthorizeQuery {
  permission: Permission;
  /** Only for resource permissions; without it the answer may be CONDITIONAL. */
  resourceRef?: string;
}
