import type { DataSource } from 'typeorm';
import type { FilterPredicate, FilterPredicatePrimitive } from './filter-predicate.js';

export type FacetValues = Record<string, Array<{ value: string; count: number }>>;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The kinds a predicate restricts to when it says nothing else: `undefined` without a predicate,
 * the lowercased kinds for `{kind: x}`, `{kind: {$in: [...]}}`, `$all` of one such and `$any` of
 * such (their union); `null` for anything else (counts cannot answer it).
 */
export function kindsOnly(predicate: FilterPredicate | undefined): string[] | undefined | null {
  if (predicate === undefined) return undefined;
  if ('$all' in predicate) {
    const items = predicate.$all as FilterPredicate[];
    return items.length === 1 ? kindsOnly(items[0]) : null;
  }
  if ('$any' in predicate) {
    const items = predicate.$any as FilterPredicate[];
    if (items.length === 0) return null;
    const kinds = new Set<string>();
    for (const item of items) {
      const some = kindsOnly(item);
      if (!some) return null;
      some.forEach((k) => kinds.add(k));
    }
    return [...kinds];
  }
  if ('$not' in predicate) return null;
  const entries = Object.entries(predicate);
  if (entries.length !== 1 || entries[0]![0].toLowerCase() !== 'kind') return null;
  const value = entries[0]![1];
  if (!isObject(value)) return [String(value).toLowerCase()];
  if ('$in' in value && Array.isArray(value.$in)) {
    return [...new Set((value.$in as FilterPredicatePrimitive[]).map((v) => String(v).toLowerCase()))];
  }
  return null;
}

/**
 * Facets answered from the maintained counts (migration `1763905000000-facet-counts.ts`): the
 * counts plus the deltas not yet compacted, summed in one snapshot, so exact for the committed
 * state. Only for counted paths and filters that restrict kinds at most.
 */
export class FacetCounts {
  private paths?: { set: Set<string>; at: number };

  constructor(private readonly dataSource: DataSource) {}

  /** The counted paths (read from the database, refreshed every minute). */
  async countedPaths(): Promise<Set<string>> {
    const now = Date.now();
    if (this.paths && now - this.paths.at < 60_000) return this.paths.set;
    const rows = (await this.dataSource.query('SELECT path FROM final_entities_facet_paths')) as Array<{
      path: string;
    }>;
    this.paths = { set: new Set(rows.map((r) => r.path)), at: now };
    return this.paths.set;
  }

  /**
   * Counts for lowercased `keys`, or undefined when the counts cannot answer (a key not counted, or
   * a filter beyond kinds).
   */
  async facets(
    keys: readonly string[],
    predicate: FilterPredicate | undefined,
  ): Promise<FacetValues | undefined> {
    const kinds = kindsOnly(predicate);
    if (kinds === null) return undefined;
    const counted = await this.countedPaths();
    if (!keys.every((k) => counted.has(k))) return undefined;
    const params: unknown[] = [keys];
    let kindFilter = '';
    if (kinds) {
      params.push(kinds);
      kindFilter = ' AND kind = ANY($2::text[])';
    }
    const rows = (await this.dataSource.query(
      `SELECT path, value, sum(n)::bigint AS count FROM (
         SELECT path, value, count AS n FROM final_entities_facet_counts WHERE path = ANY($1::text[])${kindFilter}
         UNION ALL
         SELECT path, value, delta AS n FROM final_entities_facet_deltas WHERE path = ANY($1::text[])${kindFilter}
       ) AS c
       GROUP BY path, value
       HAVING sum(n) > 0
       ORDER BY path, value`,
      params,
    )) as Array<{ path: string; value: string; count: string }>;
    const byKey: FacetValues = Object.fromEntries(keys.map((k) => [k, []]));
    for (const row of rows) byKey[row.path]!.push({ value: row.value, count: Number(row.count) });
    return byKey;
  }
}
