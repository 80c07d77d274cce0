import { extname } from 'node:path';
import { parseCsvPolicy } from './csv-policy.js';
import { parsePolicyDocument, PolicyValidationError } from './policy-document.js';
import type { PolicySet } from './types.js';

export type PolicyFileFormat = 'yaml' | 'csv';

const FORMATS: Record<string, PolicyFileFormat> = { '.yaml': 'yaml', '.yml': 'yaml', '.csv': 'csv' };

/** The format of a policy file, by its extension (case-insensitive); undefined for any other. */
export function policyFileFormat(path: string): PolicyFileFormat | undefined {
  return FORMATS[extname(path).toLowerCase()];
}

/**
 * Parses a policy file in the format its extension names: `.yaml`/`.yml` (the policy document)
 * or `.csv` (Red Hat Developer Hub's `p`/`g` lines). Throws PolicyValidationError naming the problem.
 */
export function parsePolicyFile(path: string, text: string): PolicySet {
  switch (policyFileFormat(path)) {
    case 'yaml':
      return parsePolicyDocument(text);
    case 'csv':
      return parseCsvPolicy(text);
    default:
      throw new PolicyValidationError(
        `the policy file's format is chosen by its extension: .yaml, .yml or .csv (not '${extname(path)}')`,
      );
  }
}
