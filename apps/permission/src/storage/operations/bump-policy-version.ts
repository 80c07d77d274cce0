import type { Sql } from '../sql.js';
import { POLICY_CHANNEL } from './policy-channel.js';

/** Increments the policy version and notifies every replica (delivered at commit); the new version. */
export async function bumpPolicyVersion(sql: Sql): Promise<number> {
  const rows = await sql.rows<{ version: string }>(
    `WITH v AS (UPDATE policy_version SET version = version + 1 WHERE id = 1 RETURNING version)
     SELECT version::text AS version, pg_notify($1, version::text) FROM v`,
    [POLICY_CHANNEL],
  );
  return Number(rows[0]!.version);
}
