// Validates any value as an entity: envelope, metadata formats, keys, the kind's spec schema and
// the refs in its relation fields. Reports problems; never throws.
import type { Entity } from '../entity.js';
import type { KindRegistry } from '../kinds/kind-registry.js';
import { relationsOf } from '../relations.js';
import { DEFAULT_MAX_DEPTH, checkEntityTree } from './entity-tree.js';
import { entityEnvelopeSchema } from './envelope-schema.js';
import { checkFieldFormats } from './field-format.js';
import { isObject, limitProblems, type ValidationProblem } from './problem.js';
import { compileSchemaValidator, type SchemaValidator } from './schema-validator.js';

export interface ValidateEntityOptions {
  /** Deepest nesting accepted anywhere in the entity; default 100. */
  maxDepth?: number;
  /** Most problems reported; default 100. */
  maxProblems?: number;
}

let envelope: SchemaValidator | undefined;

function checkKind(entity: Record<string, unknown>, kinds: KindRegistry): ValidationProblem[] {
  const { kind: kindName, apiVersion, spec } = entity;
  if (typeof kindName !== 'string') return [];
  const kind = kinds.get(kindName);
  if (!kind) {
    const other = kinds.find(kindName);
    const hint = other ? `; did you mean "${other.definition.kind}"?` : '';
    return [{ path: 'kind', message: `unknown kind "${kindName}"${hint}` }];
  }
  const problems: ValidationProblem[] = [];
  const apiVersions = kind.definition.apiVersion;
  if (typeof apiVersion === 'string' && !apiVersions.includes(apiVersion)) {
    problems.push({
      path: 'apiVersion',
      message: `kind ${kind.definition.kind} accepts apiVersion ${apiVersions.map((v) => `"${v}"`).join(' or ')}`,
    });
  }
  if (spec === undefined) problems.push({ path: 'spec', message: 'is required' });
  else if (isObject(spec)) problems.push(...kind.validateSpec(spec));
  if (problems.length === 0) problems.push(...relationsOf(entity as Entity, kinds).problems);
  return problems;
}

function validate(entity: unknown, kinds: KindRegistry, maxDepth: number): ValidationProblem[] {
  if (!isObject(entity)) return [{ path: '', message: 'an entity must be a JSON object' }];
  const keys = checkEntityTree(entity, maxDepth);
  // Too deep to look at safely: say so and stop.
  if (keys.tooDeep) return keys.problems;
  envelope ??= compileSchemaValidator(entityEnvelopeSchema);
  return [...envelope(entity), ...checkFieldFormats(entity), ...keys.problems, ...checkKind(entity, kinds)];
}

/**
 * Every problem that keeps `entity` out of the catalog under the kinds of `kinds`; an empty list
 * when it is valid. Accepts any value and never throws.
 */
export function validateEntity(
  entity: unknown,
  kinds: KindRegistry,
  options: ValidateEntityOptions = {},
): ValidationProblem[] {
  let problems: ValidationProblem[];
  try {
    problems = validate(entity, kinds, options.maxDepth ?? DEFAULT_MAX_DEPTH);
  } catch (error) {
    problems = [
      { path: '', message: `the entity could not be validated: ${(error as Error)?.message ?? error}` },
    ];
  }
  return limitProblems(problems, options.maxProblems ?? 100);
}

/** Whether `entity` is a valid entity under `kinds`. */
export function isValidEntity(entity: unknown, kinds: KindRegistry): entity is Entity {
  return validateEntity(entity, kinds).length === 0;
}
