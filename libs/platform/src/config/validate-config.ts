import { Ajv, type ErrorObject } from 'ajv';
import { InputError } from '../errors/errors.js';
import type { Config } from './config.js';

export type JsonSchema = Record<string, unknown>;

function keyOf(error: ErrorObject): string {
  const base = error.instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
  if (error.keyword === 'additionalProperties') {
    const extra = (error.params as { additionalProperty: string }).additionalProperty;
    return base ? `${base}.${extra}` : extra;
  }
  if (error.keyword === 'required') {
    const missing = (error.params as { missingProperty: string }).missingProperty;
    return base ? `${base}.${missing}` : missing;
  }
  return base || '<root>';
}

function describe(error: ErrorObject): string {
  switch (error.keyword) {
    case 'additionalProperties':
      return 'is not a known key';
    case 'required':
      return 'is required';
    case 'enum':
      return `must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return error.message ?? 'is invalid';
  }
}

/**
 * Validates the configuration against the JSON schemas of the platform and the service, and throws
 * an InputError naming every bad key (`Invalid configuration: backend.listen.port must be integer`).
 * Values from environment substitution arrive as strings, so numbers and booleans are coerced.
 */
export function validateConfig(config: Config, schemas: JsonSchema[]): void {
  const ajv = new Ajv({ allErrors: true, coerceTypes: true, strict: false, useDefaults: false });
  const problems = new Set<string>();
  for (const schema of schemas) {
    const validate = ajv.compile(schema);
    // Validate a copy: coercion must not change what the services read through Config.
    const copy = structuredClone(config.get());
    if (!validate(copy)) {
      for (const error of validate.errors ?? []) problems.add(`${keyOf(error)} ${describe(error)}`);
    }
  }
  if (problems.size) {
    throw new InputError(`Invalid configuration: ${[...problems].join('; ')}`);
  }
}
