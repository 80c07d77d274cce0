import type { Role } from '../../policy/types.js';
import type { Sql } from '../sql.js';

/** Creates or replaces a runtime role. */
export async function upsertRole(
  sql: Sql,
  role: Pick<Role, 'name' | 'members' | 'description'>,
): Promise<void> {
  await sql.rows(
    `INSERT INTO policy_roles (name, description, members) VALUES ($1, $2, $3::jsonb)
     ON CONFLICT (name) DO UPDATE SET description = EXCLUDED.description, members = EXCLUDED.members,
       updated_at = now()`,
    [role.name, role.description ?? null, JSON.stringify(role.members)],
  );
}
