import type { Sql } from '../../processing/util/sql.js';
import { KINDS_CHANNEL } from './stored-kind.js';

/**
 * Locks the stored runtime kind named `kind` (any case) for the rest of the transaction; its
 * stored spelling, or undefined when there is none.
 */
export async function lockStoredKind(sql: Sql, kind: string): Promise<string | undefined> {
  const [row] = await sql.rows<{ kind: string }>(
    'SELECT kind FROM catalog_kinds WHERE kind_key = lower($1) FOR UPDATE',
    [kind],
  );
  return row?.kind;
}

/** Deletes the runtime kind named `kind` (any case) and notifies; false when there was none. */
export async function deleteStoredKind(sql: Sql, kind: string): Promise<boolean> {
  const deleted = await sql.rows<{ kind: string }>(
    'DELETE FROM catalog_kinds WHERE kind_key = lower($1) RETURNING kind',
    [kind],
  );
  if (!deleted.length) return false;
  await sql.rows('SELECT pg_notify($1, $2)', [KINDS_CHANNEL, deleted[0]!.kind]);
  return true;
}
