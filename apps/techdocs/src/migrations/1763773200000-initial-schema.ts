import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Docs builds per entity: the built etag and a lease so one replica builds at a time. */
export class InitialSchema1763773200000 implements MigrationInterface {
  name = 'InitialSchema1763773200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE builds (
        entity_ref text PRIMARY KEY,
        etag text,
        status text NOT NULL DEFAULT 'pending',
        built_at timestamptz,
        lease_owner text,
        lease_expires_at timestamptz
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE builds');
  }
}
