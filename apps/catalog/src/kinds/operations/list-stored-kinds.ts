import type { Sql } from '../../processing/util/sql.js';
import { STORED_KIND_COLUMNS, toStoredKind, type StoredKind, type StoredKindRow } from './stored-kind.js';

/** Every runtime kind, oldest first. */
export async function listStoredKinds(sql: Sql): Promise<StoredKind[]> {
  const rows = await sql.rows<StoredKindRow>(
    `SELECT ${STORED_KIND_COLUMNS} FROM catalog_kinds ORDER BY created_at, kind_key`,
  );
  return rows.map(toStoredKind);
}
