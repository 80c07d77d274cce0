import type { Sql } from '../sql.js';

/** The current policy version. */
export async function readPolicyVersion(sql: Sql): Promise<number> {
  const rows = await sql.rows<{ version: string }>(
    'SELECT version::text AS version FROM policy_version WHERE id = 1',
  );
  return Number(rows[0]?.version ?? 0);
}
