import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The audit trail of policy changes: who changed what, with the state before and after. */
export class InitialSchema1763773200000 implements MigrationInterface {
  name = 'InitialSchema1763773200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE policy_audit (
        id bigserial PRIMARY KEY,
        actor text NOT NULL,
        action text NOT NULL,
        subject text NOT NULL,
        before jsonb,
        after jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX policy_audit_created_at_idx ON policy_audit (created_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE policy_audit');
  }
}
