import { InputError } from '@portal/platform';
import { stringsParam } from './filter-params.js';

const MAX_FIELDS = 100;
const MAX_FIELD_LENGTH = 1024;

/**
 * The `fields` parameter (once comma-joined, or repeated) or body array: the dotted paths to keep,
 * trimmed and de-duplicated. Undefined when there are none (the whole entity is served). Array
 * syntax (`[`) is refused, as in Backstage.
 */
export function parseFields(...inputs: unknown[]): string[] | undefined {
  const fields = new Set<string>();
  for (const input of inputs) {
    for (const value of stringsParam(input, 'fields') ?? []) {
      for (const part of value.split(',')) {
        const field = part.trim();
        if (field) fields.add(field);
      }
    }
  }
  if (!fields.size) return undefined;
  for (const field of fields) {
    if (field.includes('['))
      throw new InputError(`Invalid field "${field}", array type fields are not supported`);
    if (field.length > MAX_FIELD_LENGTH) {
      throw new InputError(
        `Invalid field "${field.slice(0, 50)}…", longer than ${MAX_FIELD_LENGTH} characters`,
      );
    }
  }
  if (fields.size > MAX_FIELDS) throw new InputError(`Invalid fields, more than ${MAX_FIELDS}`);
  return [...fields];
}

type Json = unknown;

function hasOwn(value: Json, key: string): boolean {
  return typeof value === 'object' && value !== null && Object.prototype.hasOwnProperty.call(value, key);
}

/**
 * Walks a dotted path where a segment that is not a key merges with the next one, so
 * `metadata.annotations.backstage.io/techdocs-ref` finds the annotation. Only own properties are
 * followed (no prototype chain).
 */
function resolve(root: Json, field: string): { path: string[]; value: Json } | undefined {
  const parts = field.split('.');
  const path: string[] = [];
  let current = root;
  let pending = '';
  for (let i = 0; i < parts.length; i++) {
    const segment = pending ? `${pending}.${parts[i]}` : parts[i]!;
    if (hasOwn(current, segment)) {
      path.push(segment);
      current = (current as Record<string, Json>)[segment];
      pending = '';
    } else if (i + 1 < parts.length) {
      pending = segment;
    } else {
      return undefined;
    }
  }
  return current === undefined ? undefined : { path, value: current };
}

function define(target: Record<string, Json>, key: string, value: Json): void {
  // Keys come from entity data and caller input: define, never assign (no `__proto__` setter).
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function setAt(target: Record<string, Json>, path: string[], value: Json): void {
  let node = target;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i]!;
    let next = node[key];
    if (!hasOwn(node, key) || typeof next !== 'object' || next === null) {
      next = /^\d+$/.test(path[i + 1]!) ? [] : {};
      define(node, key, next);
    }
    node = next as Record<string, Json>;
  }
  define(node, path[path.length - 1]!, value);
}

/** A function keeping only the given paths of an entity (see {@link parseFields}). */
export function createFieldsProjection<T extends object>(
  fields: readonly string[],
): (entity: T) => Partial<T> {
  return (entity) => {
    const out: Record<string, Json> = {};
    for (const field of fields) {
      const found = resolve(entity, field);
      if (found && found.path.length) setAt(out, found.path, found.value);
    }
    return out as Partial<T>;
  };
}

/** Projects one entity, or returns it whole when there are no fields. */
export function projectFields<T extends object>(
  entity: T,
  fields: readonly string[] | undefined,
): T | Partial<T> {
  return fields?.length ? createFieldsProjection<T>(fields)(entity) : entity;
}
