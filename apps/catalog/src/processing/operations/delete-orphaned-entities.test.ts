import { inTransaction } from '../util/sql.js';
import { seedEntities, seedReferences, truncateAll, useTestDatabase } from '../testing/seed.js';
import { deleteOrphanedEntities } from './delete-orphaned-entities.js';

describe('deleteOrphanedEntities', () => {
  const db = useTestDatabase();
  beforeEach(() => truncateAll(db().dataSource));

  it('deletes every entity nothing emits, with the children only it emitted', async () => {
    const ds = db().dataSource;
    await seedEntities(ds, [
      { ref: 'location:default/orphan' },
      { ref: 'component:default/its-child' },
      { ref: 'component:default/kept' },
    ]);
    await seedReferences(ds, [
      ['location:default/orphan', 'component:default/its-child'],
      ['provider:p', 'component:default/kept'],
    ]);
    const deleted = await inTransaction(ds, (sql) => deleteOrphanedEntities(sql));
    expect(deleted.sort()).toEqual(['component:default/its-child', 'location:default/orphan']);
    const rows: Array<{ entity_ref: string }> = await ds.query('SELECT entity_ref FROM refresh_state');
    expect(rows).toEqual([{ entity_ref: 'component:default/kept' }]);
    expect(await inTransaction(ds, (sql) => deleteOrphanedEntities(sql))).toEqual([]);
  });
});
