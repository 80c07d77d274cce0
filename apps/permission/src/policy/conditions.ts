import { Ajv, type ValidateFunction } from 'ajv';
import type { ConditionLeaf, ConditionTree, PermissionCriteria, Subject } from './types.js';

/** The placeholders a condition's params may hold, replaced at decision time. */
export const PLACEHOLDERS = {
  /** The user's entity ref (a string). */
  currentUser: '$currentUser',
  /** The user and their groups (an array; inside an array its items are spread). */
  ownershipRefs: '$ownershipRefs',
} as const;

const MAX_DEPTH = 16;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks the shape of a condition tree written in a policy; returns it normalised or throws an
 * Error naming the bad path (`conditions.allOf[1].rule must be a non-empty string`).
 */
export function parseConditionTree(value: unknown, path = 'conditions', depth = 0): ConditionTree {
  if (depth > MAX_DEPTH) throw new Error(`${path} is nested too deeply`);
  if (!isObject(value)) throw new Error(`${path} must be an object`);
  const keys = Object.keys(value);
  for (const op of ['allOf', 'anyOf'] as const) {
    if (op in value) {
      if (keys.length !== 1) throw new Error(`${path} must have only '${op}'`);
      const list = value[op];
      if (!Array.isArray(list) || list.length === 0)
        throw new Error(`${path}.${op} must be a non-empty array`);
      const parsed = list.map((c, i) => parseConditionTree(c, `${path}.${op}[${i}]`, depth + 1));
      return op === 'allOf' ? { allOf: parsed } : { anyOf: parsed };
    }
  }
  if ('not' in value) {
    if (keys.length !== 1) throw new Error(`${path} must have only 'not'`);
    return { not: parseConditionTree(value.not, `${path}.not`, depth + 1) };
  }
  const extra = keys.filter((k) => k !== 'rule' && k !== 'params' && k !== 'resourceType');
  if (extra.length) throw new Error(`${path}.${extra[0]} is not a known key`);
  if (typeof value.rule !== 'string' || !value.rule)
    throw new Error(`${path}.rule must be a non-empty string`);
  if (value.params !== undefined && !isObject(value.params))
    throw new Error(`${path}.params must be an object`);
  return value.params === undefined ? { rule: value.rule } : { rule: value.rule, params: value.params };
}

export function leavesOf(tree: ConditionTree): ConditionLeaf[] {
  if ('allOf' in tree) return tree.allOf.flatMap(leavesOf);
  if ('anyOf' in tree) return tree.anyOf.flatMap(leavesOf);
  if ('not' in tree) return leavesOf(tree.not);
  return [tree];
}

function usesPlaceholder(value: unknown): boolean {
  if (typeof value === 'string')
    return value === PLACEHOLDERS.currentUser || value === PLACEHOLDERS.ownershipRefs;
  if (Array.isArray(value)) return value.some(usesPlaceholder);
  if (isObject(value)) return Object.values(value).some(usesPlaceholder);
  return false;
}

/** Whether the tree's params name the user (a decision for no user cannot use such a grant). */
export function needsUser(tree: ConditionTree): boolean {
  return leavesOf(tree).some((leaf) => usesPlaceholder(leaf.params));
}

function expandValue(value: unknown, subject: Subject): unknown {
  if (value === PLACEHOLDERS.currentUser) return subject.userEntityRef;
  if (value === PLACEHOLDERS.ownershipRefs) return [...subject.ownershipEntityRefs];
  if (Array.isArray(value)) {
    return value.flatMap((item) =>
      item === PLACEHOLDERS.ownershipRefs ? [...subject.ownershipEntityRefs] : [expandValue(item, subject)],
    );
  }
  if (isObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expandValue(v, subject)]));
  }
  return value;
}

/**
 * The tree as Backstage's PermissionCriteria for `resourceType`, with placeholders replaced by the
 * subject's identity (`$currentUser` → the user ref, `$ownershipRefs` → the user and their groups).
 */
export function toCriteria(tree: ConditionTree, resourceType: string, subject: Subject): PermissionCriteria {
  if ('allOf' in tree) return { allOf: tree.allOf.map((c) => toCriteria(c, resourceType, subject)) };
  if ('anyOf' in tree) return { anyOf: tree.anyOf.map((c) => toCriteria(c, resourceType, subject)) };
  if ('not' in tree) return { not: toCriteria(tree.not, resourceType, subject) };
  return tree.params === undefined
    ? { rule: tree.rule, resourceType }
    : { rule: tree.rule, resourceType, params: expandValue(tree.params, subject) as Record<string, unknown> };
}

/** What the registry knows of one rule. */
export interface RuleMetadata {
  name: string;
  description?: string;
  resourceType: string;
  paramsSchema?: Record<string, unknown>;
}

/** A sample identity to check params that hold placeholders against a rule's schema. */
const SAMPLE_SUBJECT: Subject = {
  userEntityRef: 'user:default/sample',
  ownershipEntityRefs: ['user:default/sample', 'group:default/sample'],
  otherSubjects: [],
};

const ajv = new Ajv({ allErrors: true, strict: false });
const compiled = new WeakMap<object, ValidateFunction>();

function validatorFor(schema: Record<string, unknown>): ValidateFunction | undefined {
  let fn = compiled.get(schema);
  if (!fn) {
    try {
      fn = ajv.compile(schema);
    } catch {
      return undefined; // A plugin's schema we cannot compile: not held against the policy.
    }
    compiled.set(schema, fn);
  }
  return fn;
}

/**
 * Checks every leaf against the rules the owning plugin published for `resourceType` (names are
 * case-insensitive, as Backstage matches them). `rules` undefined means the registry does not know
 * the resource type yet: nothing to check against. Throws naming the first problem.
 */
export function validateAgainstRules(
  tree: ConditionTree,
  resourceType: string,
  rules: RuleMetadata[] | undefined,
  path = 'conditions',
): void {
  if (!rules) return;
  for (const leaf of leavesOf(tree)) {
    const rule = rules.find((r) => r.name.toLowerCase() === leaf.rule.toLowerCase());
    if (!rule) {
      throw new Error(
        `${path}: rule '${leaf.rule}' is not a rule of resource type '${resourceType}' (known: ${rules.map((r) => r.name).join(', ') || 'none'})`,
      );
    }
    if (!rule.paramsSchema) continue;
    const validate = validatorFor(rule.paramsSchema);
    if (!validate) continue;
    const params = expandValue(leaf.params ?? {}, SAMPLE_SUBJECT);
    if (!validate(params)) {
      const first = validate.errors?.[0];
      throw new Error(
        `${path}: params of rule '${rule.name}' are invalid: ${first ? `${first.instancePath || 'params'} ${first.message ?? ''}`.trim() : 'invalid'}`,
      );
    }
  }
}
