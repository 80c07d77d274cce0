import type { Sql } from '../util/sql.js';

/** "`source` emits `targetEntityRef`": a provider (`sourceKey`) or a parent entity (`sourceEntityRef`). */
export type Reference =
  | { sourceKey: string; sourceEntityRef?: undefined; targetEntityRef: string }
  | { sourceKey?: undefined; sourceEntityRef: string; targetEntityRef: string };

function columns(references: Reference[]): [Array<string | null>, Array<string | null>, string[]] {
  return [
    references.map((r) => r.sourceKey ?? null),
    references.map((r) => r.sourceEntityRef ?? null),
    references.map((r) => r.targetEntityRef),
  ];
}

/** Adds and removes emitter → entity references (adding one that exists is a no-op). */
export async function writeReferences(
  sql: Sql,
  changes: { added?: Reference[]; removed?: Reference[] },
): Promise<void> {
  if (changes.removed?.length) {
    await sql.count(
      `DELETE FROM refresh_state_references r
        USING unnest($1::text[], $2::text[], $3::text[]) AS d(source_key, source_entity_ref, target_entity_ref)
        WHERE r.target_entity_ref = d.target_entity_ref
          AND r.source_key IS NOT DISTINCT FROM d.source_key
          AND r.source_entity_ref IS NOT DISTINCT FROM d.source_entity_ref`,
      columns(changes.removed),
    );
  }
  if (changes.added?.length) {
    await sql.count(
      `INSERT INTO refresh_state_references (source_key, source_entity_ref, target_entity_ref)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
       ON CONFLICT DO NOTHING`,
      columns(changes.added),
    );
  }
}
