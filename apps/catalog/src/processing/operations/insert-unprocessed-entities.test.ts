import { withConnection } from '../util/sql.js';
import { dueForProcessing, entityFor, seedEntities, truncateAll, useTestDatabase } from '../testing/seed.js';
import { insertUnprocessedEntities } from './insert-unprocessed-entities.js';

describe('insertUnprocessedEntities', () => {
  const db = useTestDatabase();
  beforeEach(() => truncateAll(db().dataSource));

  it('inserts new refs due at once, leaves existing ones alone and says which were inserted', async () => {
    const ds = db().dataSource;
    await seedEntities(ds, [{ ref: 'component:default/old', hash: 'old', nextUpdateIn: 100 }]);
    const inserted = await withConnection(ds, (sql) =>
      insertUnprocessedEntities(sql, [
        {
          entityRef: 'component:default/new',
          entity: entityFor('component:default/new'),
          hash: 'n',
          locationKey: 'file:/n.yaml',
        },
        {
          entityRef: 'component:default/old',
          entity: entityFor('component:default/old'),
          hash: 'changed',
          locationKey: null,
        },
      ]),
    );
    expect([...inserted]).toEqual(['component:default/new']);
    expect(await dueForProcessing(ds)).toEqual(['component:default/new']);
    const rows: Array<{
      entity_ref: string;
      unprocessed_hash: string;
      location_key: string | null;
      uuid: boolean;
    }> = await ds.query(
      `SELECT entity_ref, unprocessed_hash, location_key, entity_id::text ~ '^[0-9a-f-]{36}$' AS uuid
           FROM refresh_state ORDER BY entity_ref`,
    );
    expect(rows).toEqual([
      {
        entity_ref: 'component:default/new',
        unprocessed_hash: 'n',
        location_key: 'file:/n.yaml',
        uuid: true,
      },
      { entity_ref: 'component:default/old', unprocessed_hash: 'old', location_key: null, uuid: true },
    ]);
  });
});
