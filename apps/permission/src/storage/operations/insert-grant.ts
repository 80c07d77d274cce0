import type { ConditionalGrant, Grant } from '../../policy/types.js';
import type { Sql } from '../sql.js';

/** Stores a runtime grant (`grant`) or conditional grant (`condition`). */
export async function insertGrant(
  sql: Sql,
  kind: 'grant' | 'condition',
  grant: Grant | ConditionalGrant,
): Promise<void> {
  const { id, source: _source, ...body } = grant;
  await sql.rows('INSERT INTO policy_grants (id, kind, role, body) VALUES ($1, $2, $3, $4::jsonb)', [
    id,
    kind,
    grant.role,
    JSON.stringify(body),
  ]);
}
