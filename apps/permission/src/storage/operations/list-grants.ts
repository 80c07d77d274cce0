import type { ConditionalGrant, Grant } from '../../policy/types.js';
import type { Sql } from '../sql.js';

/** Every runtime grant and conditional grant, oldest first. */
export async function listGrants(sql: Sql): Promise<{ grants: Grant[]; conditions: ConditionalGrant[] }> {
  const rows = await sql.rows<{ id: string; kind: 'grant' | 'condition'; body: Record<string, unknown> }>(
    'SELECT id, kind, body FROM policy_grants ORDER BY created_at, id',
  );
  const grants: Grant[] = [];
  const conditions: ConditionalGrant[] = [];
  for (const row of rows) {
    const item = { ...row.body, id: row.id, source: 'database' as const };
    if (row.kind === 'grant') grants.push(item as unknown as Grant);
    else conditions.push(item as unknown as ConditionalGrant);
  }
  return { grants, conditions };
}
