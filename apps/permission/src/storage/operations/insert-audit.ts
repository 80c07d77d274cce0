import type { Sql } from '../sql.js';

export interface AuditEntry {
  actor: string;
  /** e.g. role.create, role.update, role.delete, grant.create, grant.delete, condition.create, condition.delete */
  action: string;
  /** What was changed: the role name or grant id. */
  subject: string;
  before: unknown;
  after: unknown;
}

/** Records one policy change. */
export async function insertAudit(sql: Sql, entry: AuditEntry): Promise<void> {
  await sql.rows(
    'INSERT INTO policy_audit (actor, action, subject, before, after) VALUES ($1, $2, $3, $4::jsonb, $5::jsonb)',
    [
      entry.actor,
      entry.action,
      entry.subject,
      entry.before === undefined ? null : JSON.stringify(entry.before),
      entry.after === undefined ? null : JSON.stringify(entry.after),
    ],
  );
}
