import type { Sql } from '../sql.js';

/** Deletes a runtime grant of `kind` by id; the deleted body, or undefined when there was none. */
export async function deleteGrant(
  sql: Sql,
  kind: 'grant' | 'condition',
  id: string,
): Promise<Record<string, unknown> | undefined> {
  const rows = await sql.rows<{ body: Record<string, unknown> }>(
    'DELETE FROM policy_grants WHERE id = $1 AND kind = $2 RETURNING body',
    [id, kind],
  );
  return rows[0] ? { id, ...rows[0].body } : undefined;
}
