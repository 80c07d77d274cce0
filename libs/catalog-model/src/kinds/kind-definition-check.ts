// Checks a kind definition given at runtime (config or API) and brings it to its normal form.
import { isValidApiVersion, isValidKind } from '../validation/field-rules.js';
import { isObject, joinPath, type ValidationProblem } from '../validation/problem.js';
import { compileSchemaValidator, type SchemaValidator } from '../validation/schema-validator.js';
import type { JsonSchema, KindDefinition, KindRelationDefinition } from './kind-definition.js';
import { checkSchemaSafety } from './schema-guard.js';

export const KIND_DEFINITION_LIMITS = { maxApiVersions: 20, maxRelations: 100 } as const;

const relationType = { type: 'string', pattern: '^\\w+$', maxLength: 63 } as const;

const definitionShape = compileSchemaValidator({
  type: 'object',
  required: ['apiVersion', 'kind', 'specSchema'],
  additionalProperties: false,
  properties: {
    // A string, or a list of them (the array keywords only apply to arrays).
    apiVersion: {
      type: ['string', 'array'],
      minItems: 1,
      maxItems: KIND_DEFINITION_LIMITS.maxApiVersions,
      items: { type: 'string' },
    },
    kind: { type: 'string' },
    description: { type: 'string', maxLength: 1000 },
    specSchema: { type: 'object' },
    relations: {
      type: 'array',
      maxItems: KIND_DEFINITION_LIMITS.maxRelations,
      items: {
        type: 'object',
        required: ['field', 'type', 'inverse'],
        additionalProperties: false,
        properties: {
          field: { type: 'string', pattern: '^spec(\\.[^.]+)+$', maxLength: 253 },
          type: relationType,
          inverse: relationType,
          defaultKind: { type: 'string' },
        },
      },
    },
  },
});

/** A kind definition in normal form: apiVersions as a list, relations always present. */
export interface NormalizedKindDefinition extends KindDefinition {
  apiVersion: string[];
}

export interface KindDefinitionCheck {
  /** The definition in normal form, when there are no problems. */
  definition?: NormalizedKindDefinition;
  /** Its compiled spec schema, when there are no problems. */
  validateSpec?: SchemaValidator;
  problems: ValidationProblem[];
}

function checkFormats(input: Record<string, unknown>, apiVersions: string[]): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  apiVersions.forEach((apiVersion, index) => {
    if (!isValidApiVersion(apiVersion)) {
      const path = Array.isArray(input.apiVersion) ? joinPath('apiVersion', index) : 'apiVersion';
      problems.push({ path, message: `"${apiVersion}" is not a valid apiVersion` });
    }
  });
  if (!isValidKind(input.kind))
    problems.push({ path: 'kind', message: `"${String(input.kind)}" is not a valid kind` });
  ((input.relations ?? []) as KindRelationDefinition[]).forEach((relation, index) => {
    if (relation.defaultKind !== undefined && !isValidKind(relation.defaultKind)) {
      problems.push({ path: `relations.${index}.defaultKind`, message: 'is not a valid kind' });
    }
  });
  return problems;
}

/** Problems with `input` as a kind definition; with none, the definition in normal form. */
export function checkKindDefinition(input: unknown): KindDefinitionCheck {
  const shapeProblems = definitionShape(input);
  if (shapeProblems.length > 0 || !isObject(input)) return { problems: shapeProblems };
  const apiVersions = ([] as string[]).concat(input.apiVersion as string | string[]);
  const problems = [...checkFormats(input, apiVersions), ...checkSchemaSafety(input.specSchema)];
  if (problems.length > 0) return { problems };
  // A copy, so that later changes to the caller's object cannot desynchronise schema and validator.
  const specSchema = JSON.parse(JSON.stringify(input.specSchema)) as JsonSchema;
  let validateSpec: SchemaValidator;
  try {
    validateSpec = compileSchemaValidator(specSchema);
  } catch (error) {
    return { problems: [{ path: 'specSchema', message: `does not compile: ${(error as Error).message}` }] };
  }
  const definition: NormalizedKindDefinition = {
    apiVersion: [...new Set(apiVersions)],
    kind: input.kind as string,
    specSchema,
    relations: ((input.relations ?? []) as KindRelationDefinition[]).map((relation) => ({ ...relation })),
  };
  if (typeof input.description === 'string') definition.description = input.description;
  return { definition, validateSpec, problems: [] };
}
