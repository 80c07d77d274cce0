import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The served entities and the flattened view their filters run against (the query layer and
 * the reasons for this layout: `entities/query/README.md`).
 *
 * One row per entity, no per-key rows:
 * - `final_entity`: the JSON served to clients, relations and status included.
 * - `search`: its flattened, lowercased view, `{"<path>": ["<value>", ...]}` (see
 *   `entities/query/search-document.ts`). One GIN index (jsonb_ops) serves equality, `$in` and
 *   `$contains` (`@>`) and existence (`?`) on every path.
 * - `search_original`: `{"<path>": {"<lowercased>": "<Original>"}}` for the values whose case
 *   differs, so facets can report original-case values.
 * - `kind`, `namespace`, `name`, `entity_ref`: lowercase, `entity_ref` = `kind:namespace/name`.
 *
 * Ordered pages walk expression indexes on the first value of the usual sort paths, with
 * `entity_id` as the tie-breaker (keyset paging in both directions). The CHECKs tie the columns
 * to the search document, which lets the query layer use those indexes for `kind` and
 * `metadata.name` filters too.
 *
 * Storage: `search` and `search_original` are read for every row a filter or facet looks at, so
 * they stay inline (STORAGE MAIN) and use lz4 (cheap to decompress); `final_entity`, read only for
 * the rows served, is the first to move out of line.
 *
 * `final_entities_version` counts committed changes to the table, one row per backend (no lock is
 * ever shared between writers). Statement triggers bump it in the writing transaction itself, only
 * when rows actually changed, so the sum of the counters is a version of the table's contents as
 * any snapshot sees them: results computed from one snapshot (facet counts, totals) can be cached
 * under it and reused exactly until the next committed change.
 */
export class FinalEntities1763859600000 implements MigrationInterface {
  name = 'FinalEntities1763859600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE final_entities (
        entity_id uuid PRIMARY KEY,
        entity_ref text NOT NULL,
        kind text NOT NULL,
        namespace text NOT NULL,
        name text NOT NULL,
        final_entity jsonb NOT NULL,
        search jsonb NOT NULL,
        search_original jsonb NOT NULL DEFAULT '{}'::jsonb,
        hash text NOT NULL,
        stitched_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT final_entities_entity_ref_unique UNIQUE (entity_ref),
        CONSTRAINT final_entities_ref_is_lowercase_triplet
          CHECK (entity_ref = lower(entity_ref) AND entity_ref = kind || ':' || namespace || '/' || name),
        CONSTRAINT final_entities_search_matches_columns CHECK (
          jsonb_typeof(search) = 'object'
          AND search -> 'kind' = jsonb_build_array(kind)
          AND search -> 'metadata.name' = jsonb_build_array(name)
          AND search -> 'metadata.uid' = jsonb_build_array(entity_id::text)
        ),
        CONSTRAINT final_entities_search_original_is_object CHECK (jsonb_typeof(search_original) = 'object')
      )`);
    await q.query(`
      ALTER TABLE final_entities
        ALTER COLUMN search SET STORAGE MAIN,
        ALTER COLUMN search_original SET STORAGE MAIN`);
    // lz4 is optional in PostgreSQL builds; pglz (the default) works, only slower to read.
    await q.query(`
      DO $$
      BEGIN
        ALTER TABLE final_entities
          ALTER COLUMN final_entity SET COMPRESSION lz4,
          ALTER COLUMN search SET COMPRESSION lz4,
          ALTER COLUMN search_original SET COMPRESSION lz4;
      EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN
        RAISE NOTICE 'lz4 is not available, final_entities keeps the default compression';
      END $$`);
    await q.query('CREATE INDEX final_entities_search_idx ON final_entities USING gin (search)');
    // The catalog's usual page: one kind, by name. Also serves `kind` filters on their own.
    await q.query(
      `CREATE INDEX final_entities_kind_name_idx ON final_entities (kind, ((search -> 'metadata.name') ->> 0), entity_id)`,
    );
    for (const [suffix, path] of SORT_PATHS) {
      await q.query(
        `CREATE INDEX final_entities_order_${suffix}_idx ON final_entities (((search -> '${path}') ->> 0), entity_id)`,
      );
    }

    await q.query(`
      CREATE TABLE final_entities_version (
        backend_pid integer PRIMARY KEY,
        version bigint NOT NULL
      )`);
    await q.query(`
      CREATE FUNCTION final_entities_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'TRUNCATE' OR EXISTS (SELECT 1 FROM changed) THEN
          INSERT INTO final_entities_version AS v (backend_pid, version) VALUES (pg_backend_pid(), 1)
          ON CONFLICT (backend_pid) DO UPDATE SET version = v.version + 1;
        END IF;
        RETURN NULL;
      END $$`);
    for (const [event, transition] of [
      ['INSERT', 'NEW'],
      ['UPDATE', 'NEW'],
      ['DELETE', 'OLD'],
    ] as const) {
      await q.query(
        `CREATE TRIGGER final_entities_version_${event.toLowerCase()} AFTER ${event} ON final_entities
         REFERENCING ${transition} TABLE AS changed
         FOR EACH STATEMENT EXECUTE FUNCTION final_entities_bump_version()`,
      );
    }
    await q.query(
      `CREATE TRIGGER final_entities_version_truncate AFTER TRUNCATE ON final_entities
       FOR EACH STATEMENT EXECUTE FUNCTION final_entities_bump_version()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE final_entities');
    await q.query('DROP FUNCTION final_entities_bump_version()');
    await q.query('DROP TABLE final_entities_version');
  }
}

/** Paths the catalog sorts by; keep in step with INDEXED_SORT_FIELDS in `entities/query/order.ts`. */
const SORT_PATHS: ReadonlyArray<[string, string]> = [
  ['name', 'metadata.name'],
  ['title', 'metadata.title'],
  ['kind', 'kind'],
  ['type', 'spec.type'],
];
