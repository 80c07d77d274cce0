import { withConnection } from '../../processing/util/sql.js';
import { seedEntities, truncateAll, useTestDatabase } from '../../processing/testing/seed.js';
import { countEntitiesOfKind } from './count-entities-of-kind.js';

describe('countEntitiesOfKind', () => {
  const db = useTestDatabase();
  beforeEach(() => truncateAll(db().dataSource));

  it('counts the entities of a kind in any case, not those of kinds sharing a prefix', async () => {
    const ds = db().dataSource;
    await seedEntities(ds, [
      { ref: 'widget:default/a' },
      { ref: 'widget:other/b' },
      { ref: 'widgets:default/c' },
      { ref: 'component:default/widget' },
    ]);
    expect(await withConnection(ds, (sql) => countEntitiesOfKind(sql, 'Widget'))).toEqual({
      known: 2,
      visible: 0,
    });
    expect(await withConnection(ds, (sql) => countEntitiesOfKind(sql, 'gadget'))).toEqual({
      known: 0,
      visible: 0,
    });
  });
});
