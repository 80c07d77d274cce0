import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Policy managed at runtime through the admin API: roles, grants (conditional ones carry their
 * condition tree) and one policy version number, bumped by every change, that every replica
 * follows (LISTEN/NOTIFY, polling as a fallback) to reload and to key its decision cache.
 */
export class RuntimePolicy1763859600000 implements MigrationInterface {
  name = 'RuntimePolicy1763859600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE policy_roles (
        name text PRIMARY KEY,
        description text,
        members jsonb NOT NULL DEFAULT '[]'::jsonb,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE policy_grants (
        id text PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('grant', 'condition')),
        role text NOT NULL,
        body jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX policy_grants_role_idx ON policy_grants (role)');
    await q.query(`
      CREATE TABLE policy_version (
        id int PRIMARY KEY CHECK (id = 1),
        version bigint NOT NULL
      )`);
    await q.query('INSERT INTO policy_version (id, version) VALUES (1, 1)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE policy_version');
    await q.query('DROP TABLE policy_grants');
    await q.query('DROP TABLE policy_roles');
  }
}
