import { parse as parseYaml } from 'yaml';
import { parseConditionTree } from './conditions.js';
import {
  ACTIONS,
  type Action,
  type ConditionalGrant,
  EFFECTS,
  type Effect,
  type Grant,
  type PolicySet,
  type PolicySource,
  type Role,
} from './types.js';

/** A bad policy document or admin request body; the message names the offending field. */
export class PolicyValidationError extends Error {}

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.:-]{0,99}$/;
const REF = /^[a-zA-Z][a-zA-Z0-9_-]*:([a-zA-Z0-9_.-]+\/)?[a-zA-Z0-9_.@-]+$/;
const PERMISSION = /^(\*|[a-zA-Z0-9_-]+(\.[a-zA-Z0-9_-]+)*(\.\*)?)$/;
const RESOURCE_TYPE = /^[a-z0-9][a-z0-9_-]*$/;
const PLUGIN_ID = /^[a-z0-9][a-z0-9_-]*$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(message: string): never {
  throw new PolicyValidationError(message);
}

function onlyKeys(value: Record<string, unknown>, path: string, keys: string[]): void {
  const extra = Object.keys(value).find((k) => !keys.includes(k));
  if (extra !== undefined) fail(`${path}.${extra} is not a known key`);
}

function optionalString(
  value: Record<string, unknown>,
  key: string,
  path: string,
  pattern?: RegExp,
): string | undefined {
  const v = value[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || (pattern && !pattern.test(v))) fail(`${path}.${key} is not a valid value`);
  return v;
}

function action(value: Record<string, unknown>, path: string): Action | undefined {
  const v = value.action;
  if (v === undefined || v === null) return undefined;
  if (!ACTIONS.includes(v as Action)) fail(`${path}.action must be one of ${ACTIONS.join(', ')}`);
  return v as Action;
}

function effect(value: Record<string, unknown>, path: string): Effect | undefined {
  const v = value.effect;
  if (v === undefined || v === null) return undefined;
  if (!EFFECTS.includes(v as Effect)) fail(`${path}.effect must be one of ${EFFECTS.join(', ')}`);
  return v as Effect;
}

export function parseRole(value: unknown, path: string, source: PolicySource): Role {
  if (!isObject(value)) fail(`${path} must be an object`);
  onlyKeys(value, path, ['name', 'members', 'description']);
  const name = optionalString(value, 'name', path, NAME) ?? fail(`${path}.name is required`);
  const members = value.members ?? [];
  if (!Array.isArray(members)) fail(`${path}.members must be an array of entity refs`);
  members.forEach((m, i) => {
    if (typeof m !== 'string' || !REF.test(m))
      fail(`${path}.members[${i}] must be an entity ref like user:default/jane or group:default/team`);
  });
  const description = optionalString(value, 'description', path);
  return {
    name,
    members: [...new Set(members as string[])],
    ...(description ? { description } : {}),
    source,
  };
}

export function parseGrant(value: unknown, path: string, source: PolicySource, id: string): Grant {
  if (!isObject(value)) fail(`${path} must be an object`);
  onlyKeys(value, path, ['id', 'role', 'permission', 'resourceType', 'action', 'effect']);
  const role = optionalString(value, 'role', path, NAME) ?? fail(`${path}.role is required`);
  const permission = optionalString(value, 'permission', path, PERMISSION);
  const resourceType = optionalString(value, 'resourceType', path, RESOURCE_TYPE);
  const act = action(value, path);
  const eft = effect(value, path);
  if (permission === undefined && resourceType === undefined)
    fail(`${path} needs a permission or a resourceType`);
  return {
    id,
    role,
    ...(permission !== undefined ? { permission } : {}),
    ...(resourceType !== undefined ? { resourceType } : {}),
    ...(act !== undefined ? { action: act } : {}),
    // `allow` is the default and is left out, so that allows look as they always did.
    ...(eft === 'deny' ? { effect: eft } : {}),
    source,
  };
}

export function parseConditionalGrant(
  value: unknown,
  path: string,
  source: PolicySource,
  id: string,
): ConditionalGrant {
  if (!isObject(value)) fail(`${path} must be an object`);
  onlyKeys(value, path, ['id', 'role', 'resourceType', 'pluginId', 'permission', 'action', 'conditions']);
  const role = optionalString(value, 'role', path, NAME) ?? fail(`${path}.role is required`);
  const resourceType =
    optionalString(value, 'resourceType', path, RESOURCE_TYPE) ?? fail(`${path}.resourceType is required`);
  const pluginId = optionalString(value, 'pluginId', path, PLUGIN_ID);
  const permission = optionalString(value, 'permission', path, PERMISSION);
  const act = action(value, path);
  if (value.conditions === undefined) fail(`${path}.conditions is required`);
  let conditions;
  try {
    conditions = parseConditionTree(value.conditions, `${path}.conditions`);
  } catch (err) {
    fail((err as Error).message);
  }
  return {
    id,
    role,
    resourceType,
    ...(pluginId !== undefined ? { pluginId } : {}),
    ...(permission !== undefined ? { permission } : {}),
    ...(act !== undefined ? { action: act } : {}),
    conditions,
    source,
  };
}

function list(doc: Record<string, unknown>, key: string): unknown[] {
  const v = doc[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) fail(`${key} must be a list`);
  return v;
}

/**
 * Parses a policy file (YAML, or JSON which YAML reads too) into a policy set, checking every
 * field; grants must name roles of the same file. Throws PolicyValidationError naming the problem.
 */
export function parsePolicyDocument(text: string): PolicySet {
  let doc: unknown;
  try {
    doc = parseYaml(text, { maxAliasCount: 100, prettyErrors: true });
  } catch (err) {
    fail(`not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  if (doc === null || doc === undefined) return { roles: [], grants: [], conditions: [] };
  if (!isObject(doc)) fail('the policy must be a mapping with roles, grants and conditions');
  onlyKeys(doc, '<root>', ['roles', 'grants', 'conditions']);
  const roles = list(doc, 'roles').map((r, i) => parseRole(r, `roles[${i}]`, 'file'));
  const names = new Set<string>();
  for (const [i, role] of roles.entries()) {
    if (names.has(role.name)) fail(`roles[${i}].name '${role.name}' is defined twice`);
    names.add(role.name);
  }
  const grants = list(doc, 'grants').map((g, i) => parseGrant(g, `grants[${i}]`, 'file', `file-grant-${i}`));
  const conditions = list(doc, 'conditions').map((c, i) =>
    parseConditionalGrant(c, `conditions[${i}]`, 'file', `file-condition-${i}`),
  );
  grants.forEach((g, i) => {
    if (!names.has(g.role)) fail(`grants[${i}].role '${g.role}' is not a role of this file`);
  });
  conditions.forEach((c, i) => {
    if (!names.has(c.role)) fail(`conditions[${i}].role '${c.role}' is not a role of this file`);
  });
  return { roles, grants, conditions };
}
