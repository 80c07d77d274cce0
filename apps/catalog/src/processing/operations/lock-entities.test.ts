import { inTransaction } from '../util/sql.js';
import { seedEntities, truncateAll, useTestDatabase } from '../testing/seed.js';
import { lockEntities } from './lock-entities.js';

describe('lockEntities', () => {
  const db = useTestDatabase();
  beforeEach(() => truncateAll(db().dataSource));

  it('returns the existing rows with their owner key and hash', async () => {
    const ds = db().dataSource;
    const ids = await seedEntities(ds, [
      { ref: 'component:default/a', locationKey: 'file:/x.yaml', hash: 'ha' },
      { ref: 'component:default/b' },
    ]);
    const locked = await inTransaction(ds, (sql) =>
      lockEntities(sql, [
        'component:default/b',
        'component:default/a',
        'component:default/missing',
        'component:default/a',
      ]),
    );
    expect([...locked.keys()]).toEqual(['component:default/a', 'component:default/b']);
    expect(locked.get('component:default/a')).toEqual({
      entityId: ids.get('component:default/a'),
      entityRef: 'component:default/a',
      locationKey: 'file:/x.yaml',
      unprocessedHash: 'ha',
    });
  });

  it('holds the rows until the transaction ends', async () => {
    const ds = db().dataSource;
    await seedEntities(ds, [{ ref: 'component:default/a' }]);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const holder = inTransaction(ds, async (sql) => {
      await lockEntities(sql, ['component:default/a']);
      await held;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const [skipped]: Array<{ n: string }> = await ds.query(
      `SELECT count(*)::text AS n FROM (SELECT 1 FROM refresh_state FOR UPDATE SKIP LOCKED) x`,
    );
    expect(skipped!.n).toBe('0');
    release();
    await holder;
    const [free]: Array<{ n: string }> = await ds.query(
      `SELECT count(*)::text AS n FROM (SELECT 1 FROM refresh_state FOR UPDATE SKIP LOCKED) x`,
    );
    expect(free!.n).toBe('1');
  });

  it('locks nothing for an empty list', async () => {
    expect((await inTransaction(db().dataSource, (sql) => lockEntities(sql, []))).size).toBe(0);
  });
});
