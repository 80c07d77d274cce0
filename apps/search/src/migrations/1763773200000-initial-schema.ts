import type { MigrationInterface, QueryRunner } from 'typeorm';

/** One row per document type: when it was last indexed and by which lease holder. */
export class InitialSchema1763773200000 implements MigrationInterface {
  name = 'InitialSchema1763773200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE index_state (
        type text PRIMARY KEY,
        last_indexed_at timestamptz,
        document_count integer NOT NULL DEFAULT 0,
        lease_owner text,
        lease_expires_at timestamptz
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE index_state');
  }
}
