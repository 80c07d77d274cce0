import { withConnection } from '../util/sql.js';
import { dueForProcessing, entityFor, seedEntities, truncateAll, useTestDatabase } from '../testing/seed.js';
import { updateUnprocessedEntities } from './update-unprocessed-entities.js';

describe('updateUnprocessedEntities', () => {
  const db = useTestDatabase();
  beforeEach(() => truncateAll(db().dataSource));

  it('replaces content, hash and owner key and makes the entity due now', async () => {
    const ds = db().dataSource;
    await seedEntities(ds, [
      { ref: 'component:default/a', hash: 'old', locationKey: 'file:/a.yaml', nextUpdateIn: 100 },
      { ref: 'component:default/b', hash: 'b', nextUpdateIn: 100 },
    ]);
    const entity = entityFor('component:default/a', { owner: 'new' });
    await withConnection(ds, (sql) =>
      updateUnprocessedEntities(sql, [
        { entityRef: 'component:default/a', entity, hash: 'new', locationKey: 'file:/moved.yaml' },
      ]),
    );
    const [row]: Array<{ unprocessed_entity: unknown; unprocessed_hash: string; location_key: string }> =
      await ds.query(
        `SELECT unprocessed_entity, unprocessed_hash, location_key FROM refresh_state WHERE entity_ref = 'component:default/a'`,
      );
    expect(row).toEqual({
      unprocessed_entity: entity,
      unprocessed_hash: 'new',
      location_key: 'file:/moved.yaml',
    });
    expect(await dueForProcessing(ds)).toEqual(['component:default/a']);
  });
});
