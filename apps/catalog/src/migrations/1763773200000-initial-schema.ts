import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Registered locations, as Backstage's catalog keeps them: one row per (type, target). */
export class InitialSchema1763773200000 implements MigrationInterface {
  name = 'InitialSchema1763773200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE locations (
        id uuid PRIMARY KEY,
        type text NOT NULL,
        target text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT locations_type_target_unique UNIQUE (type, target)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE locations');
  }
}
