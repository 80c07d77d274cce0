// What validation reports: the offending field as a dotted path, and what is wrong with it.

export interface ValidationProblem {
  /** Dotted path from the entity root (`metadata.tags.2`, `spec.owner`); `''` for the root itself. */
  path: string;
  message: string;
}

/** Appends a key or array index to a dotted path. */
export function joinPath(base: string, key: string | number): string {
  return base === '' ? String(key) : `${base}.${key}`;
}

/** Turns a JSON pointer (`/spec/owner`, as ajv reports it) into a dotted path under `base`. */
export function pointerToPath(pointer: string, base = ''): string {
  if (pointer === '') return base;
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<string>((path, segment) => joinPath(path, segment), base);
}

/** Keeps the first `max` problems and says how many were left out. */
export function limitProblems(problems: ValidationProblem[], max: number): ValidationProblem[] {
  if (problems.length <= max) return problems;
  const kept = problems.slice(0, max);
  kept.push({ path: '', message: `${problems.length - max} more problems not shown` });
  return kept;
}

/** Whether a value is a plain JSON-like object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
