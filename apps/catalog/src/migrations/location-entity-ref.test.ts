import { createHash } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../processing/testing/test-database.js';
import { LocationEntityRef1763900000000 } from './1763900000000-location-entity-ref.js';

describe('LocationEntityRef1763900000000', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(2);
  });
  afterAll(() => db.drop());

  const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

  it('backfills the ref the catalog derived before, then keeps refs unique', async () => {
    const ds = db.dataSource;
    // Back to the schema before this migration, as a catalog of the previous version left it.
    const runner = ds.createQueryRunner();
    try {
      await new LocationEntityRef1763900000000().down(runner);
    } finally {
      await runner.release();
    }
    await ds.query(`DELETE FROM migrations WHERE name = 'LocationEntityRef1763900000000'`);
    expect(
      await ds.query(
        `SELECT 1 FROM information_schema.columns WHERE table_name = 'locations' AND column_name = 'location_entity_ref'`,
      ),
    ).toEqual([]);
    await ds.query(
      `INSERT INTO locations (id, type, target) VALUES
         ('6f1c1f43-4a0e-4c2a-9d55-0a4f7a1e2b3c', 'url', 'https://x/a.yaml'),
         ('7f1c1f43-4a0e-4c2a-9d55-0a4f7a1e2b3c', 'file', '/srv/b.yaml')`,
    );
    await ds.runMigrations({ transaction: 'each' });
    expect(await ds.query('SELECT type, location_entity_ref FROM locations ORDER BY type')).toEqual([
      { type: 'file', location_entity_ref: `location:default/generated-${sha1('file:/srv/b.yaml')}` },
      { type: 'url', location_entity_ref: `location:default/generated-${sha1('url:https://x/a.yaml')}` },
    ]);
    await expect(
      ds.query(
        `INSERT INTO locations (id, type, target) VALUES ('8f1c1f43-4a0e-4c2a-9d55-0a4f7a1e2b3c', 'url', 'c')`,
      ),
    ).rejects.toThrow(/location_entity_ref/);
    await expect(
      ds.query(
        `INSERT INTO locations (id, type, target, location_entity_ref)
         SELECT '8f1c1f43-4a0e-4c2a-9d55-0a4f7a1e2b3c', 'url', 'c', location_entity_ref FROM locations LIMIT 1`,
      ),
    ).rejects.toThrow(/locations_entity_ref_unique/);
  });
});
