import { InputError } from '@portal/platform';
import { stringsParam } from './filter-params.js';
import { escapeLike, type SqlFragment } from './predicate-sql.js';

/** A case-insensitive substring search over some paths of the flattened view. */
export interface FullTextFilter {
  term: string;
  fields?: string[];
}

const MAX_TERM_LENGTH = 1024;
const MAX_FIELDS = 50;

/**
 * `fullTextFilterTerm` and `fullTextFilterFields` of GET /entities/by-query (fields comma-joined,
 * repeats accepted). Undefined when the trimmed term is empty, as the client omits it then.
 */
export function parseFullTextParams(term: unknown, fields: unknown): FullTextFilter | undefined {
  const terms = stringsParam(term, 'fullTextFilterTerm');
  const fieldList = stringsParam(fields, 'fullTextFilterFields')
    ?.flatMap((f) => f.split(','))
    .map((f) => f.trim())
    .filter(Boolean);
  return normalizeFullText({ term: terms?.[0] ?? '', ...(fieldList?.length ? { fields: fieldList } : {}) });
}

/** Validates a full-text filter from a POST body or a cursor; undefined when there is no term. */
export function normalizeFullText(input: unknown, name = 'fullTextFilter'): FullTextFilter | undefined {
  if (input === undefined || input === null) return undefined;
  if (typeof input !== 'object' || Array.isArray(input))
    throw new InputError(`Invalid ${name}, expected an object`);
  const { term, fields, ...rest } = input as Record<string, unknown>;
  const extra = Object.keys(rest);
  if (extra.length) throw new InputError(`Invalid ${name}, unknown key '${extra[0]}'`);
  if (term !== undefined && typeof term !== 'string')
    throw new InputError(`Invalid ${name}.term, expected a string`);
  if (fields !== undefined && (!Array.isArray(fields) || fields.some((f) => typeof f !== 'string'))) {
    throw new InputError(`Invalid ${name}.fields, expected an array of strings`);
  }
  const trimmed = (term ?? '').trim();
  if (!trimmed) return undefined;
  if (trimmed.length > MAX_TERM_LENGTH) {
    throw new InputError(`Invalid ${name}.term, longer than ${MAX_TERM_LENGTH} characters`);
  }
  const list = (fields as string[] | undefined)?.map((f) => f.trim()).filter(Boolean);
  if (list && list.length > MAX_FIELDS)
    throw new InputError(`Invalid ${name}.fields, more than ${MAX_FIELDS}`);
  return list?.length ? { term: trimmed, fields: list } : { term: trimmed };
}

/** The paths searched: the given ones, else the sort field, else `metadata.uid` (as Backstage). */
export function fullTextFields(filter: FullTextFilter, sortField?: string): string[] {
  const fields = filter.fields?.length ? filter.fields : [sortField ?? 'metadata.uid'];
  return [...new Set(fields.map((f) => f.toLowerCase()))];
}

/**
 * SQL for "some value of one of the fields contains the term", case-insensitively; the term's LIKE
 * wildcards are escaped, so `50%` means the three characters. Values over 200 characters are not in
 * the flattened view, so they are not searched (as in Backstage).
 */
export function fullTextToSql(
  filter: FullTextFilter,
  options: { sortField?: string; column?: string; params?: unknown[] } = {},
): SqlFragment {
  const params = options.params ?? [];
  const column = options.column ?? 'search';
  params.push(fullTextFields(filter, options.sortField));
  const fields = `$${params.length}::text[]`;
  params.push(`%${escapeLike(filter.term.toLowerCase())}%`);
  const pattern = `$${params.length}::text`;
  return {
    sql:
      `EXISTS (SELECT 1 FROM unnest(${fields}) AS f(key), jsonb_array_elements_text(${column} -> f.key) AS v(value)` +
      ` WHERE v.value LIKE ${pattern} ESCAPE '\\')`,
    params,
  };
}
