// Refuses spec schemas that could fetch, hang or exhaust whoever compiles or runs them.
import { isObject, joinPath, type ValidationProblem } from '../validation/problem.js';

export const SCHEMA_LIMITS = {
  /** Size of the schema as JSON, in characters. */
  maxLength: 256 * 1024,
  /** Nesting depth of the schema's JSON. */
  maxDepth: 64,
  /** Length of one `pattern` or `patternProperties` key. */
  maxPatternLength: 1000,
} as const;

const DRAFT_07 = /^https?:\/\/json-schema\.org\/draft-07\/schema#?$/;
const REFERENCE_KEYWORDS = ['$ref', '$dynamicRef', '$recursiveRef'];
// Keywords whose values are data, not schemas: a "$ref" inside them is just a string.
const DATA_KEYWORDS = new Set(['const', 'enum', 'default', 'examples']);

function checkPattern(problems: ValidationProblem[], path: string, pattern: string): void {
  if (pattern.length > SCHEMA_LIMITS.maxPatternLength) {
    problems.push({ path, message: `pattern is longer than ${SCHEMA_LIMITS.maxPatternLength} characters` });
    return;
  }
  try {
    new RegExp(pattern, 'u');
  } catch (error) {
    problems.push({
      path,
      message: `pattern is not a valid regular expression: ${(error as Error).message}`,
    });
  }
}

function checkKeywords(problems: ValidationProblem[], path: string, node: Record<string, unknown>): void {
  for (const keyword of REFERENCE_KEYWORDS) {
    const ref = node[keyword];
    if (typeof ref === 'string' && !ref.startsWith('#')) {
      problems.push({
        path: joinPath(path, keyword),
        message: `must point inside the schema (start with "#"); "${ref.slice(0, 200)}" is not allowed`,
      });
    }
  }
  if (node.$async === true)
    problems.push({ path: joinPath(path, '$async'), message: 'async schemas are not allowed' });
  if (typeof node.$schema === 'string' && !DRAFT_07.test(node.$schema)) {
    problems.push({ path: joinPath(path, '$schema'), message: 'only JSON Schema draft-07 is supported' });
  }
  if (typeof node.pattern === 'string') checkPattern(problems, joinPath(path, 'pattern'), node.pattern);
  if (isObject(node.patternProperties)) {
    for (const key of Object.keys(node.patternProperties)) {
      checkPattern(problems, joinPath(joinPath(path, 'patternProperties'), key), key);
    }
  }
}

/** Problems that make `schema` unsafe to compile; paths are reported under `base`. */
export function checkSchemaSafety(schema: unknown, base = 'specSchema'): ValidationProblem[] {
  if (!isObject(schema)) return [{ path: base, message: 'must be a JSON schema object' }];
  let json: string;
  try {
    json = JSON.stringify(schema);
  } catch (error) {
    return [{ path: base, message: `must be plain JSON: ${(error as Error).message}` }];
  }
  if (json.length > SCHEMA_LIMITS.maxLength) {
    return [{ path: base, message: `is larger than ${SCHEMA_LIMITS.maxLength} characters as JSON` }];
  }
  const problems: ValidationProblem[] = [];
  const stack: Array<{ path: string; node: unknown; depth: number }> = [
    { path: base, node: schema, depth: 0 },
  ];
  while (stack.length > 0) {
    const { path, node, depth } = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > SCHEMA_LIMITS.maxDepth) {
      return [{ path, message: `is nested deeper than ${SCHEMA_LIMITS.maxDepth} levels` }];
    }
    if (Array.isArray(node)) {
      node.forEach((item, index) =>
        stack.push({ path: joinPath(path, index), node: item, depth: depth + 1 }),
      );
      continue;
    }
    const record = node as Record<string, unknown>;
    checkKeywords(problems, path, record);
    for (const [key, value] of Object.entries(record)) {
      if (!DATA_KEYWORDS.has(key)) stack.push({ path: joinPath(path, key), node: value, depth: depth + 1 });
    }
  }
  return problems;
}
