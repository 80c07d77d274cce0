import type { Role } from '../../policy/types.js';
import type { Sql } from '../sql.js';

/** Every runtime role, by name. */
export async function listRoles(sql: Sql): Promise<Role[]> {
  const rows = await sql.rows<{ name: string; description: string | null; members: string[] }>(
    'SELECT name, description, members FROM policy_roles ORDER BY name',
  );
  return rows.map((r) => ({
    name: r.name,
    members: r.members,
    ...(r.description ? { description: r.description } : {}),
    source: 'database',
  }));
}
