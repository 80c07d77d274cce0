import { insertEntities } from '../../entities/query/testing/catalog-test-database.js';
import { entityFor, truncateAll, useTestDatabase } from '../../processing/testing/seed.js';
import { withConnection } from '../../processing/util/sql.js';
import { findOriginLocationRef } from './find-origin-location-ref.js';

describe('findOriginLocationRef', () => {
  const db = useTestDatabase();
  beforeAll(async () => {
    await truncateAll(db().dataSource);
    const annotated = entityFor('component:default/a');
    annotated.metadata.annotations = { 'backstage.io/managed-by-origin-location': 'url:https://x/a.yaml' };
    await insertEntities(db().dataSource, [annotated, entityFor('component:default/b')]);
  });
  const find = (ref: string) => withConnection(db().dataSource, (sql) => findOriginLocationRef(sql, ref));

  it('reads the annotation of a visible entity, telling a missing entity from a missing annotation', async () => {
    expect(await find('Component:default/A')).toEqual({ found: true, originRef: 'url:https://x/a.yaml' });
    expect(await find('component:default/b')).toEqual({ found: true, originRef: undefined });
    expect(await find('component:default/c')).toEqual({ found: false });
  });
});
