import { withConnection } from '../util/sql.js';
import { seedSmallGraph, truncateAll, useTestDatabase } from '../testing/seed.js';
import { listEmittedReferences } from './list-emitted-references.js';

describe('listEmittedReferences', () => {
  const db = useTestDatabase();
  beforeAll(async () => {
    await truncateAll(db().dataSource);
    await seedSmallGraph(db().dataSource);
  });

  it('lists the children of the parents with the location keys of their rows', async () => {
    const refs = await withConnection(db().dataSource, (sql) =>
      listEmittedReferences(sql, ['location:default/root']),
    );
    expect(refs).toEqual([
      {
        sourceEntityRef: 'location:default/root',
        targetEntityRef: 'component:default/a',
        targetLocationKey: 'file:/a.yaml',
      },
      {
        sourceEntityRef: 'location:default/root',
        targetEntityRef: 'component:default/b',
        targetLocationKey: 'file:/b.yaml',
      },
    ]);
  });

  it('ignores provider references and returns nothing for no parents', async () => {
    expect(
      await withConnection(db().dataSource, (sql) => listEmittedReferences(sql, ['component:default/b'])),
    ).toEqual([]);
    expect(await withConnection(db().dataSource, (sql) => listEmittedReferences(sql, []))).toEqual([]);
  });
});
