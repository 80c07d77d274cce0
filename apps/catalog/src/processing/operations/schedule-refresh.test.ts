import { withConnection } from '../util/sql.js';
import {
  dueForProcessing,
  seedEntities,
  seedReferences,
  truncateAll,
  useTestDatabase,
} from '../testing/seed.js';
import { scheduleRefresh } from './schedule-refresh.js';

describe('scheduleRefresh', () => {
  const db = useTestDatabase();
  beforeEach(() => truncateAll(db().dataSource));

  it('makes the entity and the nearest Location it descends from due now', async () => {
    const ds = db().dataSource;
    await seedEntities(ds, [
      { ref: 'location:default/root', nextUpdateIn: 100 },
      { ref: 'location:default/file', nextUpdateIn: 100 },
      { ref: 'component:default/a', nextUpdateIn: 100 },
      { ref: 'component:default/b', nextUpdateIn: 100 },
    ]);
    await seedReferences(ds, [
      ['provider:config', 'location:default/root'],
      ['location:default/root', 'location:default/file'],
      ['location:default/file', 'component:default/a'],
      ['location:default/file', 'component:default/b'],
    ]);
    expect(await withConnection(ds, (sql) => scheduleRefresh(sql, 'component:default/a'))).toEqual([
      'component:default/a',
      'location:default/file',
    ]);
    expect(await dueForProcessing(ds)).toEqual(['component:default/a', 'location:default/file']);
  });

  it('refreshes a provider-emitted entity alone, and refuses an unknown one', async () => {
    const ds = db().dataSource;
    await seedEntities(ds, [{ ref: 'component:default/pushed', nextUpdateIn: 100 }]);
    await seedReferences(ds, [['provider:push:x', 'component:default/pushed']]);
    expect(await withConnection(ds, (sql) => scheduleRefresh(sql, 'component:default/pushed'))).toEqual([
      'component:default/pushed',
    ]);
    await expect(withConnection(ds, (sql) => scheduleRefresh(sql, 'component:default/nope'))).rejects.toThrow(
      /No entity component:default\/nope/,
    );
  });
});
