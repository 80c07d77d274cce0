import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Tasks and their event log, shaped after Backstage's scaffolder tables. */
export class InitialSchema1763773200000 implements MigrationInterface {
  name = 'InitialSchema1763773200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tasks (
        id uuid PRIMARY KEY,
        spec jsonb NOT NULL,
        status text NOT NULL,
        created_by text,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_heartbeat_at timestamptz
      )`);
    await q.query('CREATE INDEX tasks_status_idx ON tasks (status)');
    await q.query(`
      CREATE TABLE task_events (
        id bigserial PRIMARY KEY,
        task_id uuid NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
        event_type text NOT NULL,
        body jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX task_events_task_id_idx ON task_events (task_id, id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE task_events');
    await q.query('DROP TABLE tasks');
  }
}
