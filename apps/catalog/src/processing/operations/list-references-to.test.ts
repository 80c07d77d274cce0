import { withConnection } from '../util/sql.js';
import { seedSmallGraph, truncateAll, useTestDatabase } from '../testing/seed.js';
import { listReferencesTo } from './list-references-to.js';

describe('listReferencesTo', () => {
  const db = useTestDatabase();
  beforeAll(async () => {
    await truncateAll(db().dataSource);
    await seedSmallGraph(db().dataSource);
  });

  it('lists every emitter of the targets: parents and providers', async () => {
    const refs = await withConnection(db().dataSource, (sql) =>
      listReferencesTo(sql, ['component:default/b', 'component:default/orphan']),
    );
    expect(refs).toEqual([
      { targetEntityRef: 'component:default/b', sourceKey: null, sourceEntityRef: 'location:default/root' },
      { targetEntityRef: 'component:default/b', sourceKey: 'push:x', sourceEntityRef: null },
    ]);
  });
});
