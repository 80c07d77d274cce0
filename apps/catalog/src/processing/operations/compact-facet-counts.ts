import type { Sql } from '../util/sql.js';

/** Advisory lock key (first half) of the catalog's maintenance work; the second names the task. */
export const MAINTENANCE_LOCK = 0x63617431; // 'cat1'
const COMPACTION_TASK = 1;

/**
 * Folds the facet deltas this transaction sees into the facet counts and deletes them (migration
 * `1763905000000-facet-counts.ts`), in one statement so readers see both tables before or after it.
 * One replica at a time (a transaction-scoped advisory lock; the others skip). Deltas committed
 * meanwhile stay for the next run. Returns how many deltas were folded, or undefined when another
 * replica holds the lock. Run it inside a transaction.
 */
export async function compactFacetCounts(sql: Sql): Promise<number | undefined> {
  const [lock] = await sql.rows<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1, $2) AS locked', [
    MAINTENANCE_LOCK,
    COMPACTION_TASK,
  ]);
  if (!lock?.locked) return undefined;
  const [folded] = await sql.rows<{ deltas: string }>(
    `WITH moved AS (
       DELETE FROM final_entities_facet_deltas RETURNING kind, path, value, delta
     ), sums AS (
       SELECT kind, path, value, sum(delta) AS delta, count(*) AS deltas FROM moved GROUP BY kind, path, value
     ), applied AS (
       INSERT INTO final_entities_facet_counts AS c (kind, path, value, count)
       SELECT kind, path, value, delta FROM sums WHERE delta <> 0
       ON CONFLICT ON CONSTRAINT final_entities_facet_counts_key DO UPDATE SET count = c.count + excluded.count
     )
     SELECT coalesce(sum(deltas), 0)::bigint AS deltas FROM sums`,
  );
  // Values no entity holds any more.
  await sql.count('DELETE FROM final_entities_facet_counts WHERE count = 0');
  return Number(folded?.deltas ?? 0);
}
