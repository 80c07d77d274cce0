import { withConnection } from '../../processing/util/sql.js';
import { seedSmallGraph, truncateAll, useTestDatabase } from '../../processing/testing/seed.js';
import { listProviderSourceKeys } from './list-provider-source-keys.js';

describe('listProviderSourceKeys', () => {
  const db = useTestDatabase();
  beforeAll(async () => {
    await truncateAll(db().dataSource);
    await seedSmallGraph(db().dataSource);
  });

  it('lists every provider with references', async () => {
    expect(await withConnection(db().dataSource, listProviderSourceKeys)).toEqual(['config', 'push:x']);
  });
});
