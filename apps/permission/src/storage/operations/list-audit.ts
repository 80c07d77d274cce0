import type { Sql } from '../sql.js';

export interface AuditRecord {
  id: number;
  actor: string;
  action: string;
  subject: string;
  before: unknown;
  after: unknown;
  createdAt: string;
}

/** The newest audit records first; `beforeId` pages back. */
export async function listAudit(
  sql: Sql,
  options: { limit: number; beforeId?: number },
): Promise<AuditRecord[]> {
  const rows = await sql.rows<{
    id: string;
    actor: string;
    action: string;
    subject: string;
    before: unknown;
    after: unknown;
    created_at: Date;
  }>(
    `SELECT id::text AS id, actor, action, subject, before, after, created_at FROM policy_audit
     WHERE ($1::bigint IS NULL OR id < $1) ORDER BY id DESC LIMIT $2`,
    [options.beforeId ?? null, options.limit],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    actor: r.actor,
    action: r.action,
    subject: r.subject,
    before: r.before,
    after: r.after,
    createdAt: new Date(r.created_at).toISOString(),
  }));
}
