import { sqlState, type Sql } from '../util/sql.js';
import { MAINTENANCE_LOCK } from './compact-facet-counts.js';

/** The tables whose statistics steer the catalog's plans (reads and claims). */
export const ANALYZED_TABLES = ['final_entities', 'refresh_state', 'refresh_state_references', 'relations'];

export interface AnalyzeThresholds {
  /** A table is analyzed once more rows changed since its last ANALYZE than this… */
  minChangedRows: number;
  /** …plus this fraction of its rows (autovacuum's defaults are 50 and 0.1). */
  changedFraction: number;
}

/**
 * The catalog tables changed by more than the thresholds since their statistics were taken (by
 * anyone: autovacuum, this loop, an operator).
 */
export async function listStaleTables(sql: Sql, thresholds: AnalyzeThresholds): Promise<string[]> {
  const rows = await sql.rows<{ relname: string }>(
    `SELECT s.relname
       FROM pg_stat_user_tables s
       JOIN pg_class c ON c.oid = s.relid
      WHERE s.schemaname = current_schema()
        AND s.relname = ANY($1::text[])
        AND s.n_mod_since_analyze > $2 + $3 * greatest(c.reltuples, 0)
      ORDER BY s.relname`,
    [ANALYZED_TABLES, thresholds.minChangedRows, thresholds.changedFraction],
  );
  return rows.map((r) => r.relname);
}

/**
 * ANALYZEs one of the catalog's tables, as autovacuum would but without depending on it (it may be
 * off, or a minute behind a bulk ingestion whose first queries would be planned for an empty
 * table). One replica per table at a time: false when another holds it. Never waits behind DDL (a
 * migration): false after a second. Run it inside a (short) transaction.
 */
export async function analyzeTable(sql: Sql, table: string): Promise<boolean> {
  const task = ANALYZED_TABLES.indexOf(table);
  if (task < 0) throw new Error(`Not a catalog table: ${table}`);
  const [lock] = await sql.rows<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1, $2) AS locked', [
    MAINTENANCE_LOCK,
    100 + task,
  ]);
  if (!lock?.locked) return false;
  await sql.count(`SET LOCAL lock_timeout = '1s'`);
  try {
    await sql.count(`ANALYZE ${table}`);
  } catch (error) {
    // lock_not_available: the transaction is aborted, its COMMIT rolls back.
    if (sqlState(error) === '55P03') return false;
    throw error;
  }
  return true;
}
