import { withConnection } from '../util/sql.js';
import { seedSmallGraph, truncateAll, useTestDatabase } from '../testing/seed.js';
import { listUnreferencedEntities } from './list-unreferenced-entities.js';

describe('listUnreferencedEntities', () => {
  const db = useTestDatabase();
  beforeAll(async () => {
    await truncateAll(db().dataSource);
    await seedSmallGraph(db().dataSource);
  });

  it('keeps the refs nothing emits, among those that exist', async () => {
    const orphans = await withConnection(db().dataSource, (sql) =>
      listUnreferencedEntities(sql, [
        'component:default/a',
        'component:default/orphan',
        'component:default/none',
      ]),
    );
    expect(orphans).toEqual(['component:default/orphan']);
  });
});
