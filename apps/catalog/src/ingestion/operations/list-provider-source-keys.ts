import type { Sql } from '../../processing/util/sql.js';

/** The names of every provider that has references in the database. */
export async function listProviderSourceKeys(sql: Sql): Promise<string[]> {
  const rows = await sql.rows<{ source_key: string }>(
    `SELECT DISTINCT source_key FROM refresh_state_references WHERE source_key IS NOT NULL ORDER BY source_key`,
  );
  return rows.map((row) => row.source_key);
}
