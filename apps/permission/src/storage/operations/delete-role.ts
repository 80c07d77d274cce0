import type { Sql } from '../sql.js';

/** Deletes a runtime role and its grants; false when there was none. */
export async function deleteRole(sql: Sql, name: string): Promise<boolean> {
  const rows = await sql.rows<{ name: string }>(
    `WITH gone AS (DELETE FROM policy_grants WHERE role = $1)
     DELETE FROM policy_roles WHERE name = $1 RETURNING name`,
    [name],
  );
  return rows.length > 0;
}
