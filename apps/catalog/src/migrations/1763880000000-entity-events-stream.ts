import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the change stream and the event retention need from `entity_events` (see `events/README.md`):
 *
 * - an index on `created_at`, for the retention sweep;
 * - a statement trigger that sends `NOTIFY catalog_entity_events` from every transaction that
 *   appends events, whoever appends them (the stitcher writes its events in the same statement as
 *   the final entities). A notification is delivered at commit, and several in one transaction are
 *   folded into one; the stream treats it only as a hint and polls as well.
 */
export class EntityEventsStream1763880000000 implements MigrationInterface {
  name = 'EntityEventsStream1763880000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX entity_events_created_at_idx ON entity_events (created_at)');
    await q.query(`
      CREATE FUNCTION entity_events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('catalog_entity_events', '');
        RETURN NULL;
      END
      $$`);
    await q.query(`
      CREATE TRIGGER entity_events_notify AFTER INSERT ON entity_events
        FOR EACH STATEMENT EXECUTE FUNCTION entity_events_notify()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER entity_events_notify ON entity_events');
    await q.query('DROP FUNCTION entity_events_notify()');
    await q.query('DROP INDEX entity_events_created_at_idx');
  }
}
