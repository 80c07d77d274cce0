import { withConnection } from '../util/sql.js';
import { dueForProcessing, seedEntities, truncateAll, useTestDatabase } from '../testing/seed.js';
import { claimProcessableEntities } from './claim-processable-entities.js';

describe('claimProcessableEntities', () => {
  const db = useTestDatabase();
  beforeEach(() => truncateAll(db().dataSource));

  it('claims due rows only, oldest first, and moves them one interval ahead', async () => {
    const ds = db().dataSource;
    await seedEntities(ds, [
      { ref: 'component:default/newer', nextUpdateIn: -10 },
      { ref: 'component:default/older', nextUpdateIn: -100 },
      { ref: 'component:default/later', nextUpdateIn: 100 },
    ]);
    const first = await withConnection(ds, (sql) =>
      claimProcessableEntities(sql, { batchSize: 1, intervalSeconds: 60 }),
    );
    expect(first.map((c) => c.entityRef)).toEqual(['component:default/older']);
    expect(first[0]!.unprocessedEntity.metadata.name).toBe('older');
    const rest = await withConnection(ds, (sql) =>
      claimProcessableEntities(sql, { batchSize: 10, intervalSeconds: 60 }),
    );
    expect(rest.map((c) => c.entityRef)).toEqual(['component:default/newer']);
    expect(await dueForProcessing(ds)).toEqual([]);
    const [row]: Array<{ secs: number }> = await ds.query(
      `SELECT extract(epoch FROM next_update_at - now())::float8 AS secs FROM refresh_state WHERE entity_ref = 'component:default/older'`,
    );
    expect(row!.secs).toBeGreaterThan(55);
    expect(row!.secs).toBeLessThanOrEqual(60);
  });

  it('respects the batch size and spreads the next refresh with jitter', async () => {
    const ds = db().dataSource;
    await seedEntities(
      ds,
      Array.from({ length: 30 }, (_, i) => ({ ref: `component:default/c${i}` })),
    );
    const claimed = await withConnection(ds, (sql) =>
      claimProcessableEntities(sql, { batchSize: 20, intervalSeconds: 100, jitterSeconds: 50 }),
    );
    expect(claimed).toHaveLength(20);
    const rows: Array<{ secs: number }> = await ds.query(
      `SELECT extract(epoch FROM next_update_at - now())::float8 AS secs FROM refresh_state WHERE next_update_at > now()`,
    );
    expect(rows).toHaveLength(20);
    for (const row of rows) expect(row.secs).toBeGreaterThan(95);
    expect(new Set(rows.map((r) => Math.round(r.secs))).size).toBeGreaterThan(1);
  });

  it('never hands the same row to two concurrent claimers', async () => {
    const ds = db().dataSource;
    await seedEntities(
      ds,
      Array.from({ length: 200 }, (_, i) => ({ ref: `component:default/c${i}` })),
    );
    const claims = await Promise.all(
      Array.from({ length: 8 }, () =>
        withConnection(ds, (sql) => claimProcessableEntities(sql, { batchSize: 40, intervalSeconds: 60 })),
      ),
    );
    const refs = claims.flat().map((c) => c.entityRef);
    expect(new Set(refs).size).toBe(refs.length);
    expect(refs).toHaveLength(200);
  });

  it('makes an abandoned claim due again once its interval has passed', async () => {
    const ds = db().dataSource;
    await seedEntities(ds, [{ ref: 'component:default/a' }]);
    const first = await withConnection(ds, (sql) =>
      claimProcessableEntities(sql, { batchSize: 1, intervalSeconds: 1 }),
    );
    expect(first).toHaveLength(1);
    expect(
      await withConnection(ds, (sql) => claimProcessableEntities(sql, { batchSize: 1, intervalSeconds: 1 })),
    ).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const again = await withConnection(ds, (sql) =>
      claimProcessableEntities(sql, { batchSize: 1, intervalSeconds: 1 }),
    );
    expect(again.map((c) => c.entityRef)).toEqual(['component:default/a']);
  });
});
