import { withConnection } from '../util/sql.js';
import { dueForStitching, entityFor, seedEntities, truncateAll, useTestDatabase } from '../testing/seed.js';
import { stateOf } from '../testing/fixtures.js';
import { updateProcessingErrors } from './update-processing-errors.js';

describe('updateProcessingErrors', () => {
  const db = useTestDatabase();
  beforeEach(() => truncateAll(db().dataSource));

  it('stores errors and the result hash and keeps the last good processed entity', async () => {
    const ds = db().dataSource;
    const good = entityFor('component:default/a', { owner: 'me' });
    const ids = await seedEntities(ds, [{ ref: 'component:default/a', processed: good, resultHash: 'good' }]);
    await withConnection(ds, (sql) =>
      updateProcessingErrors(sql, [
        {
          entityId: ids.get('component:default/a')!,
          errors: [{ name: 'InputError', message: 'bad' }],
          resultHash: 'bad',
        },
      ]),
    );
    expect(await stateOf(ds, 'component:default/a')).toEqual({
      processed: good,
      errors: [{ name: 'InputError', message: 'bad' }],
      resultHash: 'bad',
    });
    expect(await dueForStitching(ds)).toEqual(['component:default/a']);
  });
});
