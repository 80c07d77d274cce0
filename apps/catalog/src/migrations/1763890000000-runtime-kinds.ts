import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Custom kinds registered at runtime through `PUT /api/catalog/kinds/{kind}` (see `kinds/README.md`).
 * One row per kind, keyed by its lowercase name (kinds compare case-insensitively, so two kinds may
 * not differ only in case); `definition` is the normalised definition as the KindRegistry accepted
 * it. Every replica loads the table at start and reloads it on `NOTIFY catalog_kinds` (and by
 * polling, in case a notification was missed); `revision` increases on every write, so a reload can
 * tell what changed.
 */
export class RuntimeKinds1763890000000 implements MigrationInterface {
  name = 'RuntimeKinds1763890000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE SEQUENCE catalog_kinds_revision_seq');
    await q.query(`
      CREATE TABLE catalog_kinds (
        kind_key text PRIMARY KEY,
        kind text NOT NULL,
        definition jsonb NOT NULL,
        revision bigint NOT NULL DEFAULT nextval('catalog_kinds_revision_seq'),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT catalog_kinds_key_is_lowercase_kind CHECK (kind_key = lower(kind))
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE catalog_kinds');
    await q.query('DROP SEQUENCE catalog_kinds_revision_seq');
  }
}
