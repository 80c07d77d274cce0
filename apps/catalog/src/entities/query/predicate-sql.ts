import type {
  FilterPredicate,
  FilterPredicateExpression,
  FilterPredicatePrimitive,
  FilterPredicateValue,
} from './filter-predicate.js';

/** A parameterised SQL fragment: `$n` placeholders numbered after the params already collected. */
export interface SqlFragment {
  sql: string;
  params: unknown[];
}

export interface PredicateSqlOptions {
  /** The search document expression the predicate runs against. Default `search`. */
  column?: string;
  /**
   * Paths whose value is also kept in a plain text column holding exactly the single lowercased
   * value of that path (e.g. `{ kind: 'fe.kind' }`). Equality, `$in` and `$hasPrefix` on them use
   * the column, which has a btree index and real statistics. The keys are lowercased paths.
   */
  columns?: Readonly<Record<string, string>>;
  /** Parameters already used by the surrounding statement; placeholders continue after them. */
  params?: unknown[];
}

/** Escapes LIKE's wildcards and its escape character (`\`, the ESCAPE used everywhere below). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

const lower = (value: FilterPredicatePrimitive): string => String(value).toLowerCase();

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `{"<key>": ["<value>"]}`: the containment document for one path/value pair. */
function pairDocument(key: string, value: string): string {
  return JSON.stringify({ [key]: [value] });
}

class PredicateCompiler {
  readonly params: unknown[];
  private readonly column: string;
  private readonly columns: Readonly<Record<string, string>>;

  constructor(options: PredicateSqlOptions) {
    this.params = options.params ?? [];
    this.column = options.column ?? 'search';
    this.columns = options.columns ?? {};
  }

  private param(value: unknown, cast: string): string {
    this.params.push(value);
    return `$${this.params.length}::${cast}`;
  }

  predicate(filter: FilterPredicate): string {
    if ('$not' in filter) return `NOT (${this.predicate(filter.$not as FilterPredicate)})`;
    if ('$all' in filter) return this.combine(filter.$all as FilterPredicate[], 'AND', 'TRUE');
    if ('$any' in filter) return this.combine(filter.$any as FilterPredicate[], 'OR', 'FALSE');
    const parts = Object.entries(filter as FilterPredicateExpression).map(([key, value]) =>
      this.field(key.toLowerCase(), value),
    );
    if (parts.length === 0) return 'TRUE';
    return parts.length === 1 ? parts[0]! : `(${parts.join(' AND ')})`;
  }

  private combine(items: FilterPredicate[], op: 'AND' | 'OR', empty: string): string {
    if (items.length === 0) return empty;
    const parts = items.map((item) => this.predicate(item));
    return parts.length === 1 ? parts[0]! : `(${parts.join(` ${op} `)})`;
  }

  /** `search @> '{"k":["v"]}'`: served by the GIN index (jsonb_ops). */
  private equals(key: string, values: string[]): string {
    const column = this.columns[key];
    if (column !== undefined) {
      return values.length === 1
        ? `${column} = ${this.param(values[0], 'text')}`
        : `${column} = ANY(${this.param(values, 'text[]')})`;
    }
    if (values.length === 1) return `${this.column} @> ${this.param(pairDocument(key, values[0]!), 'jsonb')}`;
    // A bitmap scan runs one GIN probe per array element and ORs them.
    return `${this.column} @> ANY(${this.param(
      values.map((v) => pairDocument(key, v)),
      'jsonb[]',
    )})`;
  }

  /** `search ? 'k'`: a top-level key, which every flattened path is; also served by the GIN index. */
  private exists(key: string): string {
    return `${this.column} ? ${this.param(key, 'text')}`;
  }

  private field(key: string, value: FilterPredicateValue): string {
    if (!isObject(value)) return this.equals(key, [lower(value)]);
    if ('$exists' in value) return value.$exists ? this.exists(key) : `NOT (${this.exists(key)})`;
    if ('$in' in value) {
      const values = [...new Set((value.$in as FilterPredicatePrimitive[]).map(lower))];
      return values.length ? this.equals(key, values) : 'FALSE';
    }
    if ('$hasPrefix' in value) return this.hasPrefix(key, String(value.$hasPrefix));
    if ('$contains' in value) {
      const target = value.$contains as FilterPredicatePrimitive | FilterPredicateExpression;
      // The flattened view spreads arrays, so membership of a primitive is plain equality.
      if (!isObject(target)) return this.equals(key, [lower(target)]);
      return this.containsRelation(target);
    }
    throw new Error(`Unsupported filter matcher for '${key}'`); // parsePredicate refuses these first
  }

  /** Any value of the path starts with the prefix, case-insensitively. */
  private hasPrefix(key: string, prefix: string): string {
    const pattern = `${escapeLike(prefix.toLowerCase())}%`;
    const column = this.columns[key];
    if (column !== undefined) return `${column} LIKE ${this.param(pattern, 'text')} ESCAPE '\\'`;
    const k = this.param(key, 'text');
    // The existence test lets the GIN index narrow the rows before the values are scanned.
    return (
      `(${this.column} ? ${k} AND EXISTS (SELECT 1 FROM jsonb_array_elements_text(${this.column} -> ${k}) AS v(value)` +
      ` WHERE v.value LIKE ${this.param(pattern, 'text')} ESCAPE '\\'))`
    );
  }

  /**
   * `{ relations: { $contains: { type, targetRef? } } }`: the entity has a relation of that type
   * (to that target, or to one of `{ $in: [...] }`), i.e. `relations.<type>` holds the target.
   */
  private containsRelation(target: FilterPredicateExpression): string {
    let type = '';
    let refs: string[] | undefined;
    for (const [rawKey, value] of Object.entries(target)) {
      const name = rawKey.toLowerCase();
      if (name === 'type') type = String(value);
      else if (name === 'targetref') {
        refs = isObject(value)
          ? ((value as { $in: FilterPredicatePrimitive[] }).$in ?? []).map(lower)
          : [lower(value)];
      }
    }
    const key = `relations.${type.toLowerCase()}`;
    return refs === undefined ? this.exists(key) : this.equals(key, [...new Set(refs)]);
  }
}

/**
 * Translates a (validated, see `parsePredicate`) FilterPredicate into a boolean SQL expression over
 * the flattened search document. Values only ever travel as parameters. Operators are chosen so the
 * GIN index on the document serves them: `@>` for equality, `$in` and `$contains`, `?` for
 * existence. (`?` is PostgreSQL's key-exists operator, not a placeholder: node-postgres numbers its
 * placeholders `$n` and leaves `?` alone. Do not route these fragments through a driver or builder
 * that rewrites `?`.)
 *
 * Semantics follow Backstage: keys are lowercased, values compared lowercased as strings
 * (`7` = `"7"`, `true` = `"true"`), `$all: []` is true, `$any: []` and `$in: []` are false,
 * `$exists: false` and `$not` match entities lacking the path, `$hasPrefix` matches when any value
 * of the path starts with the prefix (wildcards escaped).
 */
export function predicateToSql(predicate: FilterPredicate, options: PredicateSqlOptions = {}): SqlFragment {
  const compiler = new PredicateCompiler(options);
  const sql = compiler.predicate(predicate);
  return { sql, params: compiler.params };
}
