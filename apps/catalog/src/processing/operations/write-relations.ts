import type { Sql } from '../util/sql.js';
import type { RelationRow } from './list-originated-relations.js';

function columns(rows: RelationRow[]): [string[], string[], string[], string[]] {
  return [
    rows.map((r) => r.originatingEntityId),
    rows.map((r) => r.sourceEntityRef),
    rows.map((r) => r.type),
    rows.map((r) => r.targetEntityRef),
  ];
}

/** Applies a relation diff: rows to delete and rows to insert, each tagged with its originating entity. */
export async function writeRelations(
  sql: Sql,
  changes: { inserted: RelationRow[]; deleted: RelationRow[] },
): Promise<void> {
  if (changes.deleted.length) {
    await sql.count(
      `DELETE FROM relations r
        USING unnest($1::uuid[], $2::text[], $3::text[], $4::text[])
              AS d(originating_entity_id, source_entity_ref, type, target_entity_ref)
        WHERE r.originating_entity_id = d.originating_entity_id
          AND r.source_entity_ref = d.source_entity_ref
          AND r.type = d.type
          AND r.target_entity_ref = d.target_entity_ref`,
      columns(changes.deleted),
    );
  }
  if (changes.inserted.length) {
    await sql.count(
      `INSERT INTO relations (originating_entity_id, source_entity_ref, type, target_entity_ref)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[])`,
      columns(changes.inserted),
    );
  }
}
