import { InputError } from '@portal/platform';
import { stringsParam } from './filter-params.js';

export type SortOrder = 'asc' | 'desc';

/** One sort key: a dotted path of the flattened view (case-insensitive) and a direction. */
export interface OrderField {
  field: string;
  order: SortOrder;
}

const MAX_FIELD_LENGTH = 1024;

function checkField(field: string, name: string): string {
  const trimmed = field.trim();
  if (!trimmed) throw new InputError(`Invalid ${name}, the field is empty`);
  if (trimmed.length > MAX_FIELD_LENGTH) throw new InputError(`Invalid ${name}, the field is too long`);
  return trimmed;
}

function checkOrder(order: unknown, name: string): SortOrder {
  if (order !== 'asc' && order !== 'desc') throw new InputError(`Invalid ${name} order, must be asc or desc`);
  return order;
}

/**
 * `orderField` of GET /entities/by-query: `metadata.name,desc` (the direction defaults to asc).
 * Repeats are parsed (and validated) but only the first sorts, as in Backstage.
 */
export function parseOrderFieldParams(param: unknown): OrderField[] | undefined {
  const values = stringsParam(param, 'orderField');
  if (!values?.length) return undefined;
  return values.map((value) => {
    const [field = '', order = 'asc'] = value.split(',');
    return { field: checkField(field, 'orderField'), order: checkOrder(order.trim(), 'orderField') };
  });
}

/** `orderBy` of POST /entities/by-query: `[{ field, order }]`. */
export function parseOrderBy(body: unknown): OrderField[] | undefined {
  if (body === undefined || body === null) return undefined;
  const list = Array.isArray(body) ? (body as unknown[]) : [body];
  if (!list.length) return undefined;
  return list.map((item, i) => {
    if (
      typeof item !== 'object' ||
      item === null ||
      typeof (item as { field?: unknown }).field !== 'string'
    ) {
      throw new InputError(`Invalid orderBy[${i}], expected { field, order }`);
    }
    const { field, order } = item as { field: string; order?: unknown };
    return { field: checkField(field, `orderBy[${i}]`), order: checkOrder(order, `orderBy[${i}]`) };
  });
}

/** `order` of GET /entities (repeatable): `asc:metadata.name`. All of them sort, in turn. */
export function parseOrderParams(param: unknown): OrderField[] | undefined {
  const values = stringsParam(param, 'order');
  if (!values?.length) return undefined;
  return values.map((value) => {
    const match = /^(asc|desc):(.+)$/.exec(value);
    if (!match)
      throw new InputError(`Invalid order parameter "${value}", expected "<asc or desc>:<field name>"`);
    return { order: match[1] as SortOrder, field: checkField(match[2]!, 'order') };
  });
}

/**
 * Sort paths with an expression index `((search -> '<path>') ->> 0, entity_id)` (see the
 * final-entities migration). Pages ordered by one of them can walk the index; others sort.
 */
export const INDEXED_SORT_FIELDS: ReadonlySet<string> = new Set([
  'metadata.name',
  'metadata.title',
  'kind',
  'spec.type',
]);

/**
 * The sort value of an entity for a path: the first lowercased value in the flattened view, NULL
 * when the path is missing (those entities sort last). For the indexed paths the key is written as
 * a literal taken from {@link INDEXED_SORT_FIELDS} so the expression matches the index; any other
 * path travels as a parameter.
 */
export function sortValueSql(field: string, params: unknown[], column = 'search'): string {
  const key = field.toLowerCase();
  if (INDEXED_SORT_FIELDS.has(key)) return `((${column} -> '${key}'::text) ->> 0)`;
  params.push(key);
  return `((${column} -> $${params.length}::text) ->> 0)`;
}
