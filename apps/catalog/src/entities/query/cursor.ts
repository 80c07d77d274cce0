import { InputError } from '@portal/platform';
import { parsePredicate, type FilterPredicate } from './filter-predicate.js';
import { normalizeFullText, type FullTextFilter } from './full-text.js';
import type { OrderField } from './order.js';

/**
 * The by-query cursor: opaque to callers, base64 of a JSON object shaped like Backstage's.
 *
 * It carries the whole query (filter, order, full-text filter), the keyset position and the
 * total, so a cursor request needs nothing else (`limit` and `fields` may still be sent).
 *
 * The filter travels under a top-level `query` key, as a FilterPredicate, whether it came from
 * GET `filter=` parameters or a POST body. `@backstage/catalog-client` decodes cursors and sends the
 * next page of a cursor holding `query` as POST /entities/by-query `{cursor}`, so long predicates
 * never have to fit in a URL; both GET and POST accept every cursor. Without a filter the key is
 * absent and the client keeps using GET. The permission filter is never in the cursor: it is
 * applied afresh from the caller's credentials on every page.
 *
 * A cursor is not signed: editing one gives nothing a fresh request could not ask for, so it is
 * validated like any other input (shape, sizes, the predicate's bounds) and refused with an
 * InputError when it does not hold up.
 */
export interface QueryCursor {
  /** As requested; only the first one sorts. */
  orderFields: OrderField[];
  /**
   * The keyset position: `[sortValue, entityId]` with a sort field (sortValue null for an entity
   * lacking the field), `[entityId]` without one.
   */
  orderFieldValues: Array<string | null>;
  query?: FilterPredicate;
  fullTextFilter?: FullTextFilter;
  /** The cursor walks backwards from its position (a `prevCursor`). */
  isPrevious: boolean;
  /** The position of the very first item, to know when a backwards walk is back on page one. */
  firstSortFieldValues?: Array<string | null>;
  /** Counted on the first page and carried along (0 when the first page excluded it). */
  totalItems?: number;
}

const MAX_CURSOR_LENGTH = 256 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KEYS = new Set([
  'orderFields',
  'orderFieldValues',
  'query',
  'fullTextFilter',
  'isPrevious',
  'firstSortFieldValues',
  'totalItems',
]);

/** base64 of ASCII-only JSON, so that any decoder (the client uses `atob`) reads it back intact. */
export function encodeCursor(cursor: QueryCursor): string {
  const json = JSON.stringify(cursor).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return Buffer.from(json, 'utf8').toString('base64');
}

function malformed(problem: string): never {
  throw new InputError(`Malformed cursor: ${problem}`);
}

function position(value: unknown, withSortValue: boolean, name: string): Array<string | null> {
  if (!Array.isArray(value)) malformed(`${name} must be an array`);
  const expected = withSortValue ? 2 : 1;
  if (value.length !== expected) malformed(`${name} must have ${expected} value(s)`);
  const id = value[expected - 1];
  if (typeof id !== 'string' || !UUID.test(id)) malformed(`${name} must end with an entity id`);
  if (!withSortValue) return [id.toLowerCase()];
  const sortValue = value[0];
  if (sortValue !== null && typeof sortValue !== 'string') malformed(`${name}[0] must be a string or null`);
  if (typeof sortValue === 'string' && sortValue.length > 1024) malformed(`${name}[0] is too long`);
  return [sortValue, id.toLowerCase()];
}

/** Decodes and validates a cursor (standard or URL-safe base64); any problem is an InputError. */
export function decodeCursor(text: unknown): QueryCursor {
  if (typeof text !== 'string' || !text) malformed('expected a non-empty string');
  if (text.length > MAX_CURSOR_LENGTH) malformed('too long');
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) malformed('not base64');
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(text, 'base64').toString('utf8'));
  } catch {
    malformed('not base64-encoded JSON');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) malformed('expected a JSON object');
  const data = raw as Record<string, unknown>;
  for (const key of Object.keys(data)) if (!KEYS.has(key)) malformed(`unknown key '${key}'`);

  if (!Array.isArray(data.orderFields) || data.orderFields.length > 10)
    malformed('orderFields must be an array');
  const orderFields = (data.orderFields as unknown[]).map((item, i): OrderField => {
    const { field, order } = (item ?? {}) as { field?: unknown; order?: unknown };
    if (typeof field !== 'string' || !field || field.length > 1024)
      malformed(`orderFields[${i}].field is invalid`);
    if (order !== 'asc' && order !== 'desc') malformed(`orderFields[${i}].order must be asc or desc`);
    return { field, order };
  });
  const sorted = orderFields.length > 0;
  if (typeof data.isPrevious !== 'boolean') malformed('isPrevious must be a boolean');

  const cursor: QueryCursor = {
    orderFields,
    orderFieldValues: position(data.orderFieldValues, sorted, 'orderFieldValues'),
    isPrevious: data.isPrevious,
  };
  if (data.query !== undefined) {
    try {
      cursor.query = parsePredicate(data.query, 'cursor.query');
    } catch (err) {
      malformed((err as Error).message);
    }
  }
  if (data.fullTextFilter !== undefined) {
    try {
      const fullText = normalizeFullText(data.fullTextFilter, 'cursor.fullTextFilter');
      if (fullText) cursor.fullTextFilter = fullText;
    } catch (err) {
      malformed((err as Error).message);
    }
  }
  if (data.firstSortFieldValues !== undefined) {
    cursor.firstSortFieldValues = position(data.firstSortFieldValues, sorted, 'firstSortFieldValues');
  }
  if (data.totalItems !== undefined) {
    if (
      typeof data.totalItems !== 'number' ||
      !Number.isSafeInteger(data.totalItems) ||
      data.totalItems < 0
    ) {
      malformed('totalItems must be a non-negative integer');
    }
    cursor.totalItems = data.totalItems;
  }
  return cursor;
}
