import { createHash } from 'node:crypto';

function write(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i) out += ',';
      const item: unknown = value[i];
      out += item === undefined || typeof item === 'function' ? 'null' : write(item);
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const member = record[key];
    if (member === undefined || typeof member === 'function') continue;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${write(member)}`;
    first = false;
  }
  return `${out}}`;
}

/**
 * JSON with object keys sorted at every level, so that equal values always give equal text (and
 * equal hashes) whatever order their keys were written or stored in (jsonb reorders keys).
 * `undefined` members are left out, as JSON.stringify does.
 */
export function stableStringify(value: unknown): string {
  return write(value);
}

/** SHA-1 (hex) of the stable JSON of `value`: change detection, not security. */
export function hashOf(value: unknown): string {
  return createHash('sha1').update(write(value)).digest('hex');
}

/**
 * SHA-1 (hex) of the plain JSON of `value`, key order as it is. Only for values whose key order is
 * itself deterministic: built by the same code from documents read out of jsonb columns (jsonb
 * always returns the keys of an object in the same order), such as processing results and final
 * entities. About twice as fast as {@link hashOf}.
 */
export function hashOfOrdered(value: unknown): string {
  return createHash('sha1')
    .update(JSON.stringify(value) ?? 'null')
    .digest('hex');
}

/** SHA-1 (hex) of a string. */
export function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}
