import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Facet counts kept up to date as entities change, so the facets the catalog's pages ask for cost a
 * few milliseconds whatever the catalog size instead of a scan of every entity (`entities/query/
 * README.md`, "Facets and totals").
 *
 * - `final_entities_facet_paths`: the counted paths (lowercased search-document keys).
 * - `final_entities_facet_counts`: per kind, path and value (original case, as facets report it),
 *   the number of entities holding it. Written only by compaction.
 * - `final_entities_facet_deltas`: append-only changes. Statement triggers on `final_entities`
 *   add one row per (kind, path, value) a statement changed, with the net difference, in the
 *   writing transaction. Writers never update a shared row, so they never wait for each other.
 *
 * A reader sums counts and deltas in one snapshot, which is exact for the committed state that
 * snapshot sees. Compaction (catalog maintenance, one replica at a time) folds the deltas it sees
 * into the counts in one transaction, so readers see either both tables before it or both after.
 * A value is counted the way the scan counts it: once per entry of the path's array in the search
 * document, in the case `search_original` records.
 */
export class FacetCounts1763905000000 implements MigrationInterface {
  name = 'FacetCounts1763905000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE final_entities_facet_paths (path text PRIMARY KEY)`);
    await q.query(`INSERT INTO final_entities_facet_paths (path) SELECT unnest($1::text[])`, [COUNTED_PATHS]);
    await q.query(`
      CREATE TABLE final_entities_facet_counts (
        kind text NOT NULL,
        path text NOT NULL,
        value text,
        count bigint NOT NULL,
        CONSTRAINT final_entities_facet_counts_key UNIQUE NULLS NOT DISTINCT (path, kind, value)
      )`);
    await q.query(`
      CREATE TABLE final_entities_facet_deltas (
        id bigserial PRIMARY KEY,
        kind text NOT NULL,
        path text NOT NULL,
        value text,
        delta bigint NOT NULL
      )`);
    await q.query(
      'CREATE INDEX final_entities_facet_deltas_path_idx ON final_entities_facet_deltas (path, kind)',
    );

    // One function per event: a statement trigger only has the transition tables it declared.
    for (const [event, sources] of [
      ['insert', [['new_rows', 1]]],
      [
        'update',
        [
          ['new_rows', 1],
          ['old_rows', -1],
        ],
      ],
      ['delete', [['old_rows', -1]]],
    ] as const) {
      const contributions = sources
        .map(
          ([table, sign]) =>
            `SELECT e.kind, p.path, coalesce(e.search_original -> p.path ->> v.value, v.value) AS value, ${sign} AS delta
             FROM ${table} e
             CROSS JOIN final_entities_facet_paths p
             CROSS JOIN LATERAL jsonb_array_elements_text(e.search -> p.path) AS v(value)`,
        )
        .join(' UNION ALL ');
      await q.query(`
        CREATE FUNCTION final_entities_count_facets_${event}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          INSERT INTO final_entities_facet_deltas (kind, path, value, delta)
          SELECT kind, path, value, sum(delta) FROM (${contributions}) AS c
          GROUP BY kind, path, value
          HAVING sum(delta) <> 0;
          RETURN NULL;
        END $$`);
      const transitions = sources.map(
        ([table]) => `${table === 'new_rows' ? 'NEW' : 'OLD'} TABLE AS ${table}`,
      );
      await q.query(
        `CREATE TRIGGER final_entities_facets_${event} AFTER ${event.toUpperCase()} ON final_entities
         REFERENCING ${transitions.join(' ')}
         FOR EACH STATEMENT EXECUTE FUNCTION final_entities_count_facets_${event}()`,
      );
    }
    await q.query(`
      CREATE FUNCTION final_entities_count_facets_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM final_entities_facet_deltas;
        DELETE FROM final_entities_facet_counts;
        RETURN NULL;
      END $$`);
    await q.query(
      `CREATE TRIGGER final_entities_facets_truncate AFTER TRUNCATE ON final_entities
       FOR EACH STATEMENT EXECUTE FUNCTION final_entities_count_facets_truncate()`,
    );

    // The entities already there.
    await q.query(`
      INSERT INTO final_entities_facet_counts (kind, path, value, count)
      SELECT fe.kind, p.path, coalesce(fe.search_original -> p.path ->> v.value, v.value), count(*)
      FROM final_entities fe
      CROSS JOIN final_entities_facet_paths p
      CROSS JOIN LATERAL jsonb_array_elements_text(fe.search -> p.path) AS v(value)
      GROUP BY 1, 2, 3`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const event of ['insert', 'update', 'delete', 'truncate']) {
      await q.query(`DROP TRIGGER final_entities_facets_${event} ON final_entities`);
      await q.query(`DROP FUNCTION final_entities_count_facets_${event}()`);
    }
    await q.query('DROP TABLE final_entities_facet_deltas');
    await q.query('DROP TABLE final_entities_facet_counts');
    await q.query('DROP TABLE final_entities_facet_paths');
  }
}

/**
 * The facets the catalog's pages and Backstage's entity pickers ask for. Other paths are counted by
 * a scan of the matching entities (cached per table version).
 */
export const COUNTED_PATHS = [
  'kind',
  'metadata.namespace',
  'metadata.tags',
  'spec.type',
  'spec.lifecycle',
  'spec.owner',
  'relations.ownedby',
];
