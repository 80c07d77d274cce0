import { withConnection } from '../util/sql.js';
import { seedSmallGraph, truncateAll, useTestDatabase } from '../testing/seed.js';
import { listEntityOwners } from './list-entity-owners.js';

describe('listEntityOwners', () => {
  const db = useTestDatabase();
  beforeAll(async () => {
    await truncateAll(db().dataSource);
    await seedSmallGraph(db().dataSource);
  });

  it('gives the location key and the references of each existing ref', async () => {
    const owners = await withConnection(db().dataSource, (sql) =>
      listEntityOwners(sql, ['component:default/b', 'component:default/orphan', 'component:default/none']),
    );
    expect([...owners.keys()].sort()).toEqual(['component:default/b', 'component:default/orphan']);
    expect(owners.get('component:default/b')).toEqual({
      entityRef: 'component:default/b',
      locationKey: 'file:/b.yaml',
      references: [
        { sourceKey: null, sourceEntityRef: 'location:default/root' },
        { sourceKey: 'push:x', sourceEntityRef: null },
      ],
    });
    expect(owners.get('component:default/orphan')).toEqual({
      entityRef: 'component:default/orphan',
      locationKey: null,
      references: [],
    });
  });
});
