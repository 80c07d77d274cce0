// Checks over every value and key of an entity: JSON values only, nesting depth, no `__proto__`
// keys, and no keys that differ only in case.
//
// Case collisions are judged on the flattened view the catalog indexes for filtering (every leaf
// path, `<path>.<item>` for string array items, `relations.<type>`): two paths that differ only in
// case would be one filter key, so the entity is refused, as Backstage's stitcher refuses it.
import { isObject, joinPath, type ValidationProblem } from './problem.js';

export const DEFAULT_MAX_DEPTH = 100;

// Paths the index leaves out, or writes itself.
const UNINDEXED = new Set([
  'attachments',
  'relations',
  'status',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'metadata.etag',
]);

function isLeaf(value: unknown): boolean {
  return value === undefined || value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

/** Why `value` is not a JSON value, if it is not. */
function notJson(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : `${value} is not a JSON number`;
  if (['function', 'symbol', 'bigint'].includes(typeof value)) return `a ${typeof value} is not a JSON value`;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return 'is not a plain JSON object';
  }
  return undefined;
}

class KeyCollisions {
  readonly problems: ValidationProblem[] = [];
  private readonly firstSpelling = new Map<string, string>();
  private readonly reported = new Set<string>();

  add(key: string): void {
    const lower = key.toLowerCase();
    const first = this.firstSpelling.get(lower);
    if (first === undefined) {
      this.firstSpelling.set(lower, key);
    } else if (first !== key && !this.reported.has(key)) {
      this.reported.add(key);
      this.problems.push({ path: key, message: `differs only in case from "${first}"` });
    }
  }
}

export interface EntityTreeCheck {
  problems: ValidationProblem[];
  /** Whether the entity nests deeper than allowed; the check stopped there. */
  tooDeep: boolean;
}

/** Problems with the values and keys of `entity`; stops at the first value nested deeper than `maxDepth`. */
export function checkEntityTree(
  entity: Record<string, unknown>,
  maxDepth = DEFAULT_MAX_DEPTH,
): EntityTreeCheck {
  const problems: ValidationProblem[] = [];
  const collisions = new KeyCollisions();
  const itemKeys = new Set<string>();
  for (const key of ['metadata.name', 'metadata.namespace', 'metadata.uid']) collisions.add(key);
  // `path` is the index-free key the catalog indexes; `at` names the value, array indexes included.
  const stack: Array<{ path: string; at: string; value: unknown; depth: number }> = [
    { path: '', at: '', value: entity, depth: 0 },
  ];
  while (stack.length > 0) {
    const { path, at, value, depth } = stack.pop()!;
    const notJsonReason = notJson(value);
    if (notJsonReason) {
      problems.push({ path: at, message: notJsonReason });
      continue;
    }
    if (UNINDEXED.has(path)) continue;
    if (isLeaf(value)) {
      collisions.add(path);
      continue;
    }
    if (depth >= maxDepth) {
      return { problems: [{ path: at, message: `is nested deeper than ${maxDepth} levels` }], tooDeep: true };
    }
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) {
        stack.push({ path, at: joinPath(at, i), value: value[i], depth: depth + 1 });
      }
      for (const item of value) {
        if (typeof item !== 'string') continue;
        const itemKey = `${path}.${item}`;
        if (itemKeys.has(itemKey.toLowerCase())) continue;
        itemKeys.add(itemKey.toLowerCase());
        collisions.add(itemKey);
      }
      continue;
    }
    const entries = Object.entries(value as Record<string, unknown>);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i];
      const childAt = joinPath(at, key);
      if (key === '__proto__') problems.push({ path: childAt, message: 'is not an allowed key' });
      stack.push({ path: joinPath(path, key), at: childAt, value: child, depth: depth + 1 });
    }
  }
  if (Array.isArray(entity.relations)) {
    for (const relation of entity.relations as unknown[]) {
      if (isObject(relation) && typeof relation.type === 'string')
        collisions.add(`relations.${relation.type}`);
    }
  }
  return { problems: [...problems, ...collisions.problems], tooDeep: false };
}
