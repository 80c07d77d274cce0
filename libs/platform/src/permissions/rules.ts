import { Ajv, type ValidateFunction } from 'ajv';
import type { JsonSchema } from '../config/validate-config.js';
import { InputError } from '../errors/errors.js';
import type { PermissionCondition, PermissionCriteria } from './types.js';

/**
 * A rule a plugin offers to conditional policies (Backstage's `PermissionRule`): it decides for one
 * resource in memory (`apply`) and turns into the resource's own query language (`toQuery`), so that a
 * conditional read becomes one database filter. Both must agree on every resource.
 */
export interface PermissionRule<TResource, TQuery, TResourceType extends string = string, TParams = never> {
  name: string;
  description: string;
  resourceType: TResourceType;
  /** JSON Schema of `params` (an object schema), published in the plugin's permission metadata. */
  paramsSchema: JsonSchema;
  apply(resource: TResource, params: TParams): boolean;
  toQuery(params: TParams): TQuery;
}

/** Types a rule's params; the schema is what checks them at run time. */
export function createPermissionRule<TResource, TQuery, TResourceType extends string, TParams>(
  rule: PermissionRule<TResource, TQuery, TResourceType, TParams>,
): PermissionRule<TResource, TQuery, TResourceType, TParams> {
  return rule;
}

/** How conditions combine in the resource's query language. */
export interface QueryCombinators<TQuery> {
  allOf(queries: TQuery[]): TQuery;
  anyOf(queries: TQuery[]): TQuery;
  not(query: TQuery): TQuery;
}

/** The metadata entry of one rule, as served at `/.well-known/backstage/permissions/metadata`. */
export interface SerializedPermissionRule {
  name: string;
  description: string;
  resourceType: string;
  paramsSchema: JsonSchema;
}

/** Bounds on a condition tree from outside (a policy, an apply-conditions body). */
export const CONDITION_LIMITS = { maxDepth: 16, maxNodes: 1000 } as const;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyRule<TResource, TQuery> = PermissionRule<TResource, TQuery, string, any>;

/**
 * The rules of one resource type: looks them up by name (case-insensitively, as Backstage), checks
 * params against each rule's schema, and evaluates a condition tree in memory or as a query.
 */
export class PermissionRuleset<TResource, TQuery> {
  private readonly byName = new Map<
    string,
    { rule: AnyRule<TResource, TQuery>; validate: ValidateFunction }
  >();

  constructor(
    readonly resourceType: string,
    readonly rules: ReadonlyArray<AnyRule<TResource, TQuery>>,
    private readonly combinators: QueryCombinators<TQuery>,
  ) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    for (const rule of rules) {
      if (rule.resourceType !== resourceType) {
        throw new Error(`Rule ${rule.name} is for '${rule.resourceType}', not '${resourceType}'`);
      }
      const key = rule.name.toUpperCase();
      if (this.byName.has(key)) throw new Error(`Duplicate permission rule ${rule.name}`);
      this.byName.set(key, { rule, validate: ajv.compile(rule.paramsSchema) });
    }
  }

  /** The rule and its checked params for a condition; InputError for an unknown rule or bad params. */
  private resolve(condition: PermissionCondition): { rule: AnyRule<TResource, TQuery>; params: unknown } {
    if (condition.resourceType !== this.resourceType) {
      throw new InputError(
        `Unexpected resource type '${condition.resourceType}' for rule ${condition.rule}, expected '${this.resourceType}'`,
      );
    }
    const entry = this.byName.get(condition.rule.toUpperCase());
    if (!entry) throw new InputError(`Unknown permission rule ${condition.rule} for '${this.resourceType}'`);
    const params = condition.params ?? {};
    if (!entry.validate(params)) {
      const problems = (entry.validate.errors ?? [])
        .map((e) => `${e.instancePath || 'params'} ${e.message ?? 'is invalid'}`)
        .join('; ');
      throw new InputError(`Invalid params for rule ${entry.rule.name}: ${problems}`);
    }
    return { rule: entry.rule, params };
  }

  /** The condition tree as one query (allOf → AND, anyOf → OR, not → NOT). */
  toQuery(criteria: PermissionCriteria<PermissionCondition>): TQuery {
    const visit = (node: PermissionCriteria<PermissionCondition>): TQuery => {
      if (isAllOf(node)) return this.combinators.allOf(node.allOf.map(visit));
      if (isAnyOf(node)) return this.combinators.anyOf(node.anyOf.map(visit));
      if (isNot(node)) return this.combinators.not(visit(node.not));
      const { rule, params } = this.resolve(node);
      return rule.toQuery(params);
    };
    return visit(criteria);
  }

  /** Whether one resource satisfies the condition tree, decided in memory. */
  apply(criteria: PermissionCriteria<PermissionCondition>, resource: TResource): boolean {
    const visit = (node: PermissionCriteria<PermissionCondition>): boolean => {
      if (isAllOf(node)) return node.allOf.every(visit);
      if (isAnyOf(node)) return node.anyOf.some(visit);
      if (isNot(node)) return !visit(node.not);
      const { rule, params } = this.resolve(node);
      return rule.apply(resource, params);
    };
    return visit(criteria);
  }

  /** Checks every leaf of the tree (rule known, params valid) without evaluating it. */
  check(criteria: PermissionCriteria<PermissionCondition>): void {
    const visit = (node: PermissionCriteria<PermissionCondition>): void => {
      if (isAllOf(node)) node.allOf.forEach(visit);
      else if (isAnyOf(node)) node.anyOf.forEach(visit);
      else if (isNot(node)) visit(node.not);
      else this.resolve(node);
    };
    visit(criteria);
  }

  metadata(): SerializedPermissionRule[] {
    return this.rules.map((rule) => ({
      name: rule.name,
      description: rule.description,
      resourceType: rule.resourceType,
      paramsSchema: rule.paramsSchema,
    }));
  }
}

function isAllOf<T>(node: PermissionCriteria<T>): node is { allOf: PermissionCriteria<T>[] } {
  return typeof node === 'object' && node !== null && 'allOf' in node;
}
function isAnyOf<T>(node: PermissionCriteria<T>): node is { anyOf: PermissionCriteria<T>[] } {
  return typeof node === 'object' && node !== null && 'anyOf' in node;
}
function isNot<T>(node: PermissionCriteria<T>): node is { not: PermissionCriteria<T> } {
  return typeof node === 'object' && node !== null && 'not' in node;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Validates a condition tree from an untrusted source and returns a fresh copy: `{allOf: [..]}`,
 * `{anyOf: [..]}` (both non-empty), `{not: c}` or a leaf `{rule, resourceType, params?}`. InputError
 * names where a problem is.
 */
export function parsePermissionCriteria(
  json: unknown,
  name = 'conditions',
): PermissionCriteria<PermissionCondition> {
  let nodes = 0;
  const visit = (node: unknown, path: string, depth: number): PermissionCriteria<PermissionCondition> => {
    if (depth > CONDITION_LIMITS.maxDepth) throw new InputError(`Invalid ${path}: nested too deeply`);
    if (++nodes > CONDITION_LIMITS.maxNodes) throw new InputError(`Invalid ${name}: too many conditions`);
    if (!isPlainObject(node)) throw new InputError(`Invalid ${path}: expected an object`);
    const keys = Object.keys(node);
    for (const op of ['allOf', 'anyOf'] as const) {
      if (op in node) {
        const list = node[op];
        if (keys.length !== 1 || !Array.isArray(list) || list.length === 0) {
          throw new InputError(`Invalid ${path}: '${op}' must be the only key, with a non-empty array`);
        }
        const items = list.map((item, i) => visit(item, `${path}.${op}[${i}]`, depth + 1));
        return op === 'allOf' ? { allOf: items } : { anyOf: items };
      }
    }
    if ('not' in node) {
      if (keys.length !== 1) throw new InputError(`Invalid ${path}: 'not' must be the only key`);
      return { not: visit(node.not, `${path}.not`, depth + 1) };
    }
    const { rule, resourceType, params } = node;
    if (typeof rule !== 'string' || !rule) throw new InputError(`Invalid ${path}: missing rule`);
    if (typeof resourceType !== 'string' || !resourceType) {
      throw new InputError(`Invalid ${path}: missing resourceType`);
    }
    if (params !== undefined && !isPlainObject(params)) {
      throw new InputError(`Invalid ${path}.params: expected an object`);
    }
    return { rule, resourceType, ...(params !== undefined ? { params: structuredClone(params) } : {}) };
  };
  return visit(json, name, 1);
}
