import { createHash } from 'node:crypto';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Stores the ref of each registered location's Location entity (`location_entity_ref`, Backstage's
 * column name), so that `PUT /locations/{id}` can change type and target while the entity keeps its
 * ref, uid and relations (see `locations/README.md`). Existing rows get the ref the catalog derived
 * until now: `location:default/generated-<sha1("<type>:<target>")>` (the formula is written out
 * here so that this migration never changes with the code). A ref names one location at most.
 */
export class LocationEntityRef1763900000000 implements MigrationInterface {
  name = 'LocationEntityRef1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE locations ADD COLUMN location_entity_ref text');
    const rows = (await q.query('SELECT id, type, target FROM locations')) as Array<{
      id: string;
      type: string;
      target: string;
    }>;
    if (rows.length > 0) {
      const refs = rows.map(
        (row) =>
          `location:default/generated-${createHash('sha1').update(`${row.type}:${row.target}`).digest('hex')}`,
      );
      await q.query(
        `UPDATE locations l SET location_entity_ref = v.ref
           FROM unnest($1::uuid[], $2::text[]) AS v(id, ref) WHERE l.id = v.id`,
        [rows.map((row) => row.id), refs],
      );
    }
    await q.query('ALTER TABLE locations ALTER COLUMN location_entity_ref SET NOT NULL');
    await q.query(
      'ALTER TABLE locations ADD CONSTRAINT locations_entity_ref_unique UNIQUE (location_entity_ref)',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE locations DROP COLUMN location_entity_ref');
  }
}
