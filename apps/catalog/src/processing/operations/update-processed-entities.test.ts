import { withConnection } from '../util/sql.js';
import { dueForStitching, entityFor, seedEntities, truncateAll, useTestDatabase } from '../testing/seed.js';
import { stateOf } from '../testing/fixtures.js';
import { updateProcessedEntities } from './update-processed-entities.js';

describe('updateProcessedEntities', () => {
  const db = useTestDatabase();
  beforeEach(() => truncateAll(db().dataSource));

  it('stores the processed entity, its errors (NULL when none) and the result hash', async () => {
    const ds = db().dataSource;
    const ids = await seedEntities(ds, [
      { ref: 'component:default/a', errors: [{ name: 'Old', message: 'old' }] },
      { ref: 'location:default/l' },
    ]);
    const a = entityFor('component:default/a', { owner: 'x' });
    const l = entityFor('location:default/l', { target: '/x.yaml' });
    await withConnection(ds, (sql) =>
      updateProcessedEntities(sql, [
        { entityId: ids.get('component:default/a')!, processedEntity: a, errors: [], resultHash: 'ha' },
        {
          entityId: ids.get('location:default/l')!,
          processedEntity: l,
          errors: [{ name: 'NotFoundError', message: 'gone' }],
          resultHash: null,
        },
      ]),
    );
    expect(await stateOf(ds, 'component:default/a')).toEqual({
      processed: a,
      errors: null,
      resultHash: 'ha',
    });
    expect(await stateOf(ds, 'location:default/l')).toEqual({
      processed: l,
      errors: [{ name: 'NotFoundError', message: 'gone' }],
      resultHash: null,
    });
    expect(await dueForStitching(ds)).toEqual(['component:default/a', 'location:default/l']);
  });
});
