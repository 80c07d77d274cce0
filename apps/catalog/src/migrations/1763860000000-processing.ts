import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The processing engine's state (see `processing/README.md`).
 *
 * - `refresh_state`: one row per entity the catalog knows, visible or not. `entity_id` becomes
 *   `metadata.uid`. `unprocessed_entity` is what a provider or a parent emitted, `processed_entity`
 *   the last result that processed without an entity-level error (never replaced by a failing run),
 *   `errors` the errors of the latest run. `location_key` names the emitter that owns the ref.
 *   `next_update_at` is both the processing schedule and the lease of a claim; `next_stitch_at`
 *   (NULL when nothing is pending) is the stitching queue and lease.
 * - `refresh_state_references`: who emits whom. A row comes either from a provider (`source_key`)
 *   or from a parent entity (`source_entity_ref`); an entity with no row pointing at it is an orphan.
 *   Both ends cascade when an entity is deleted, so the graph never points at missing rows.
 * - `relations`: every relation triple, forward and inverse, tagged with the entity whose spec
 *   implied it; deleted with that entity.
 * - `entity_events`: the outbox and the entity history, written in the same transaction as the
 *   change. `id` orders events per entity; across entities ids are assigned before commit, so a
 *   reader of the stream uses `tx_id` (the writing transaction) to avoid skipping ids of
 *   transactions still in flight.
 */
export class Processing1763860000000 implements MigrationInterface {
  name = 'Processing1763860000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE refresh_state (
        entity_id uuid PRIMARY KEY,
        entity_ref text NOT NULL,
        unprocessed_entity jsonb NOT NULL,
        unprocessed_hash text NOT NULL,
        processed_entity jsonb,
        result_hash text,
        errors jsonb,
        location_key text,
        next_update_at timestamptz NOT NULL DEFAULT now(),
        next_stitch_at timestamptz,
        last_discovery_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT refresh_state_entity_ref_unique UNIQUE (entity_ref),
        CONSTRAINT refresh_state_entity_ref_lowercase CHECK (entity_ref = lower(entity_ref))
      )`);
    // Every claim and stitch mark rewrites the row; keep the entity documents out of line so those
    // updates copy two TOAST pointers instead of two documents.
    await q.query(`
      ALTER TABLE refresh_state
        SET (toast_tuple_target = 128),
        ALTER COLUMN unprocessed_entity SET STORAGE EXTERNAL,
        ALTER COLUMN processed_entity SET STORAGE EXTERNAL`);
    await q.query('CREATE INDEX refresh_state_next_update_at_idx ON refresh_state (next_update_at)');
    await q.query(
      'CREATE INDEX refresh_state_next_stitch_at_idx ON refresh_state (next_stitch_at) WHERE next_stitch_at IS NOT NULL',
    );
    await q.query(
      'CREATE INDEX refresh_state_location_key_idx ON refresh_state (location_key) WHERE location_key IS NOT NULL',
    );

    await q.query(`
      CREATE TABLE refresh_state_references (
        id bigserial PRIMARY KEY,
        source_key text,
        source_entity_ref text REFERENCES refresh_state (entity_ref) ON DELETE CASCADE,
        target_entity_ref text NOT NULL REFERENCES refresh_state (entity_ref) ON DELETE CASCADE,
        CONSTRAINT refresh_state_references_one_source CHECK ((source_key IS NULL) <> (source_entity_ref IS NULL))
      )`);
    await q.query(`
      CREATE UNIQUE INDEX refresh_state_references_source_key_idx
        ON refresh_state_references (source_key, target_entity_ref) WHERE source_key IS NOT NULL`);
    await q.query(`
      CREATE UNIQUE INDEX refresh_state_references_source_entity_ref_idx
        ON refresh_state_references (source_entity_ref, target_entity_ref) WHERE source_entity_ref IS NOT NULL`);
    await q.query(
      'CREATE INDEX refresh_state_references_target_entity_ref_idx ON refresh_state_references (target_entity_ref)',
    );

    await q.query(`
      CREATE TABLE relations (
        originating_entity_id uuid NOT NULL REFERENCES refresh_state (entity_id) ON DELETE CASCADE,
        source_entity_ref text NOT NULL,
        type text NOT NULL,
        target_entity_ref text NOT NULL
      )`);
    await q.query('CREATE INDEX relations_source_entity_ref_idx ON relations (source_entity_ref)');
    await q.query('CREATE INDEX relations_target_entity_ref_idx ON relations (target_entity_ref)');
    await q.query('CREATE INDEX relations_originating_entity_id_idx ON relations (originating_entity_id)');

    await q.query(`
      CREATE TABLE entity_events (
        id bigserial PRIMARY KEY,
        entity_id uuid NOT NULL,
        entity_ref text NOT NULL,
        type text NOT NULL,
        final_entity jsonb,
        source text,
        created_at timestamptz NOT NULL DEFAULT now(),
        tx_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
        CONSTRAINT entity_events_type_known CHECK (type IN ('upserted', 'deleted', 'orphaned', 'error'))
      )`);
    await q.query('CREATE INDEX entity_events_entity_ref_id_idx ON entity_events (entity_ref, id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE entity_events');
    await q.query('DROP TABLE relations');
    await q.query('DROP TABLE refresh_state_references');
    await q.query('DROP TABLE refresh_state');
  }
}
