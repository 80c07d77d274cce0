import { withConnection } from '../util/sql.js';
import { seedSmallGraph, truncateAll, useTestDatabase } from '../testing/seed.js';
import { listOriginatedRelations } from './list-originated-relations.js';

describe('listOriginatedRelations', () => {
  const db = useTestDatabase();
  let ids: Map<string, string>;
  beforeAll(async () => {
    await truncateAll(db().dataSource);
    ids = await seedSmallGraph(db().dataSource);
  });

  it('lists the rows each entity originated, forward and inverse', async () => {
    const rows = await withConnection(db().dataSource, (sql) =>
      listOriginatedRelations(sql, [ids.get('component:default/a')!, ids.get('component:default/b')!]),
    );
    expect(rows).toEqual([
      {
        originatingEntityId: ids.get('component:default/a'),
        sourceEntityRef: 'component:default/a',
        type: 'dependsOn',
        targetEntityRef: 'component:default/b',
      },
      {
        originatingEntityId: ids.get('component:default/a'),
        sourceEntityRef: 'component:default/b',
        type: 'dependencyOf',
        targetEntityRef: 'component:default/a',
      },
    ]);
  });
});
