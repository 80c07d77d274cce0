import { withConnection } from '../../processing/util/sql.js';
import {
  dueForProcessing,
  seedEntities,
  truncateAll,
  useTestDatabase,
} from '../../processing/testing/seed.js';
import { scheduleRefreshOfFailed } from './schedule-refresh-of-failed.js';
import { scheduleRefreshOfKind } from './schedule-refresh-of-kind.js';

describe('scheduleRefreshOfKind / scheduleRefreshOfFailed', () => {
  const db = useTestDatabase();
  beforeEach(() => truncateAll(db().dataSource));

  it('makes every entity of the kind due, after the delay', async () => {
    const ds = db().dataSource;
    await seedEntities(ds, [
      { ref: 'widget:default/a', nextUpdateIn: 100 },
      { ref: 'widget:default/b', nextUpdateIn: 100 },
      { ref: 'widgets:default/c', nextUpdateIn: 100 },
    ]);
    expect(await withConnection(ds, (sql) => scheduleRefreshOfKind(sql, 'Widget', 60_000))).toBe(2);
    expect(await dueForProcessing(ds)).toEqual([]);
    const [{ secs }] = await ds.query(
      `SELECT extract(epoch FROM max(next_update_at) - now())::float8 AS secs FROM refresh_state WHERE entity_ref LIKE 'widget:%'`,
    );
    expect(secs).toBeGreaterThan(50);
    expect(secs).toBeLessThan(61);
    expect(await withConnection(ds, (sql) => scheduleRefreshOfKind(sql, 'WIDGET'))).toBe(2);
    expect(await dueForProcessing(ds)).toEqual(['widget:default/a', 'widget:default/b']);
  });

  it('makes only the failed entities of the kinds due', async () => {
    const ds = db().dataSource;
    const error = [{ name: 'InputError', message: 'unknown kind "Widget"' }];
    await seedEntities(ds, [
      { ref: 'widget:default/failed', nextUpdateIn: 100, errors: error },
      { ref: 'widget:default/fine', nextUpdateIn: 100, errors: [] },
      { ref: 'widget:default/new', nextUpdateIn: 100, errors: null },
      { ref: 'gadget:default/failed', nextUpdateIn: 100, errors: error },
    ]);
    expect(await withConnection(ds, (sql) => scheduleRefreshOfFailed(sql, ['Widget']))).toBe(1);
    expect(await dueForProcessing(ds)).toEqual(['widget:default/failed']);
    expect(await withConnection(ds, (sql) => scheduleRefreshOfFailed(sql, []))).toBe(0);
  });
});
