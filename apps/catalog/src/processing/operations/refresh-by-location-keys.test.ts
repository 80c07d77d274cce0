import { withConnection } from '../util/sql.js';
import {
  dueForProcessing,
  seedEntities,
  seedReferences,
  truncateAll,
  useTestDatabase,
} from '../testing/seed.js';
import { refreshByLocationKeys } from './refresh-by-location-keys.js';

describe('refreshByLocationKeys', () => {
  const db = useTestDatabase();
  beforeEach(() => truncateAll(db().dataSource));

  it('makes due the entities owned by the keys and the Locations that read those sources', async () => {
    const ds = db().dataSource;
    await seedEntities(ds, [
      { ref: 'location:default/reader', locationKey: 'url:https://x/all.yaml', nextUpdateIn: 100 },
      { ref: 'component:default/a', locationKey: 'url:https://x/a.yaml', nextUpdateIn: 100 },
      { ref: 'component:default/b', locationKey: 'url:https://x/b.yaml', nextUpdateIn: 100 },
      { ref: 'location:default/generated', locationKey: 'url:https://x/c.yaml', nextUpdateIn: 100 },
    ]);
    await seedReferences(ds, [
      ['location:default/reader', 'component:default/a'],
      ['location:default/reader', 'component:default/b'],
    ]);
    const due = await withConnection(ds, (sql) =>
      refreshByLocationKeys(sql, ['url:https://x/a.yaml', 'url:https://x/c.yaml']),
    );
    expect(due).toBe(3);
    expect(await dueForProcessing(ds)).toEqual([
      'component:default/a',
      'location:default/generated',
      'location:default/reader',
    ]);
    expect(await withConnection(ds, (sql) => refreshByLocationKeys(sql, ['url:https://x/a.yaml']))).toBe(0);
    expect(await withConnection(ds, (sql) => refreshByLocationKeys(sql, []))).toBe(0);
  });
});
