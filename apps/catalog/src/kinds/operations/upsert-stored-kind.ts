import type { NormalizedKindDefinition } from '@portal/catalog-model';
import type { Sql } from '../../processing/util/sql.js';
import {
  KINDS_CHANNEL,
  STORED_KIND_COLUMNS,
  toStoredKind,
  type StoredKind,
  type StoredKindRow,
} from './stored-kind.js';

export type UpsertOutcome =
  | { outcome: 'created' | 'updated' | 'unchanged'; stored: StoredKind }
  /** A kind of the same name in another case is stored: `stored` is that one. */
  | { outcome: 'conflict'; stored: StoredKind };

/**
 * Stores a runtime kind (a definition the KindRegistry accepted), notifying `catalog_kinds` when
 * something changed. A definition equal to the stored one writes nothing; a kind whose name
 * differs only in case from a stored one is a conflict. Run it in a transaction: the notification
 * goes out at commit.
 */
export async function upsertStoredKind(
  sql: Sql,
  definition: NormalizedKindDefinition,
): Promise<UpsertOutcome> {
  const [written] = await sql.rows<StoredKindRow & { created: boolean }>(
    `INSERT INTO catalog_kinds AS k (kind_key, kind, definition) VALUES (lower($1), $1, $2::jsonb)
     ON CONFLICT (kind_key) DO UPDATE
        SET definition = EXCLUDED.definition, updated_at = now(),
            revision = nextval('catalog_kinds_revision_seq')
      WHERE k.kind = EXCLUDED.kind AND k.definition IS DISTINCT FROM EXCLUDED.definition
     RETURNING ${STORED_KIND_COLUMNS}, (xmax = 0) AS created`,
    [definition.kind, JSON.stringify(definition)],
  );
  if (written) {
    await sql.rows('SELECT pg_notify($1, $2)', [KINDS_CHANNEL, definition.kind]);
    return { outcome: written.created ? 'created' : 'updated', stored: toStoredKind(written) };
  }
  const [current] = await sql.rows<StoredKindRow>(
    `SELECT ${STORED_KIND_COLUMNS} FROM catalog_kinds WHERE kind_key = lower($1)`,
    [definition.kind],
  );
  if (!current) throw new Error(`catalog_kinds has no row for ${definition.kind} after an upsert`);
  return {
    outcome: current.kind === definition.kind ? 'unchanged' : 'conflict',
    stored: toStoredKind(current),
  };
}
