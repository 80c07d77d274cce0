// Compiles a JSON schema once (ajv) into a function that reports problems instead of throwing.
import { Ajv, type ErrorObject } from 'ajv';
import { joinPath, pointerToPath, type ValidationProblem } from './problem.js';

/** Checks a value against a compiled schema; paths are reported under `base`. */
export type SchemaValidator = (value: unknown, base?: string) => ValidationProblem[];

function newAjv(): Ajv {
  return new Ajv({
    allErrors: true,
    strict: false,
    allowUnionTypes: true,
    validateSchema: true,
    addUsedSchema: false,
    logger: false,
  });
}

function describeError(error: ErrorObject, base: string): ValidationProblem {
  const path = pointerToPath(error.instancePath, base);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { path: joinPath(path, String(params.missingProperty)), message: 'is required' };
    case 'additionalProperties':
      return { path: joinPath(path, String(params.additionalProperty)), message: 'is not an allowed field' };
    case 'enum':
      return {
        path,
        message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    default:
      return { path, message: error.message ?? `fails the "${error.keyword}" rule` };
  }
}

/** Compiles `schema`; throws if it is not a valid draft-07 schema. */
export function compileSchemaValidator(schema: object): SchemaValidator {
  const validate = newAjv().compile(schema);
  return (value, base = '') => {
    if (validate(value)) return [];
    return (validate.errors ?? []).map((error) => describeError(error, base));
  };
}
