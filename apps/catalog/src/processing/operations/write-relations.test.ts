import { withConnection } from '../util/sql.js';
import { relationLines } from '../testing/fixtures.js';
import { seedEntities, seedRelations, truncateAll, useTestDatabase } from '../testing/seed.js';
import { writeRelations } from './write-relations.js';

describe('writeRelations', () => {
  const db = useTestDatabase();
  beforeEach(() => truncateAll(db().dataSource));

  it('deletes and inserts exactly the rows of the diff, per originating entity', async () => {
    const ds = db().dataSource;
    const ids = await seedEntities(ds, [{ ref: 'component:default/a' }, { ref: 'component:default/c' }]);
    const a = ids.get('component:default/a')!;
    const c = ids.get('component:default/c')!;
    await seedRelations(ds, [
      [a, 'component:default/a', 'ownedBy', 'group:default/old'],
      [a, 'group:default/old', 'ownerOf', 'component:default/a'],
      [c, 'component:default/c', 'ownedBy', 'group:default/old'],
    ]);
    await withConnection(ds, (sql) =>
      writeRelations(sql, {
        deleted: [
          {
            originatingEntityId: a,
            sourceEntityRef: 'component:default/a',
            type: 'ownedBy',
            targetEntityRef: 'group:default/old',
          },
          {
            originatingEntityId: a,
            sourceEntityRef: 'group:default/old',
            type: 'ownerOf',
            targetEntityRef: 'component:default/a',
          },
        ],
        inserted: [
          {
            originatingEntityId: a,
            sourceEntityRef: 'component:default/a',
            type: 'ownedBy',
            targetEntityRef: 'group:default/new',
          },
        ],
      }),
    );
    expect(await relationLines(ds)).toEqual([
      'component:default/a ownedBy group:default/new',
      'component:default/c ownedBy group:default/old',
    ]);
  });

  it('drops the relations of an entity with its refresh_state row', async () => {
    const ds = db().dataSource;
    const ids = await seedEntities(ds, [{ ref: 'component:default/a' }]);
    await seedRelations(ds, [
      [ids.get('component:default/a')!, 'component:default/a', 'ownedBy', 'group:default/g'],
    ]);
    await ds.query(`DELETE FROM refresh_state`);
    expect(await relationLines(ds)).toEqual([]);
  });
});
