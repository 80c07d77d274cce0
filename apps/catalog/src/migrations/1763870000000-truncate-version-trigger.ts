import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `TRUNCATE final_entities` failed: the shared trigger function reads the `changed` transition
 * table, which a TRUNCATE trigger does not have (PostgreSQL plans the whole condition, so the
 * `TG_OP = 'TRUNCATE'` test does not short-circuit it). The TRUNCATE trigger gets its own function.
 */
export class TruncateVersionTrigger1763870000000 implements MigrationInterface {
  name = 'TruncateVersionTrigger1763870000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION final_entities_bump_version_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO final_entities_version AS v (backend_pid, version) VALUES (pg_backend_pid(), 1)
        ON CONFLICT (backend_pid) DO UPDATE SET version = v.version + 1;
        RETURN NULL;
      END $$`);
    await q.query('DROP TRIGGER final_entities_version_truncate ON final_entities');
    await q.query(
      `CREATE TRIGGER final_entities_version_truncate AFTER TRUNCATE ON final_entities
       FOR EACH STATEMENT EXECUTE FUNCTION final_entities_bump_version_truncate()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER final_entities_version_truncate ON final_entities');
    await q.query(
      `CREATE TRIGGER final_entities_version_truncate AFTER TRUNCATE ON final_entities
       FOR EACH STATEMENT EXECUTE FUNCTION final_entities_bump_version()`,
    );
    await q.query('DROP FUNCTION final_entities_bump_version_truncate()');
  }
}
