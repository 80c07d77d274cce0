import { withConnection } from '../../processing/util/sql.js';
import { seedSmallGraph, truncateAll, useTestDatabase } from '../../processing/testing/seed.js';
import { listProviderEntities } from './list-provider-entities.js';

describe('listProviderEntities', () => {
  const db = useTestDatabase();
  beforeAll(async () => {
    await truncateAll(db().dataSource);
    await seedSmallGraph(db().dataSource);
  });

  it('lists what a provider emits, with each row key and hash', async () => {
    const emitted = await withConnection(db().dataSource, (sql) => listProviderEntities(sql, 'push:x'));
    expect([...emitted.values()]).toEqual([
      { entityRef: 'component:default/b', locationKey: 'file:/b.yaml', unprocessedHash: 'h' },
    ]);
    expect((await withConnection(db().dataSource, (sql) => listProviderEntities(sql, 'nobody'))).size).toBe(
      0,
    );
  });
});
