import { withConnection } from '../util/sql.js';
import { seedEntities, truncateAll, useTestDatabase } from '../testing/seed.js';
import { claimStitchableEntities } from './claim-stitchable-entities.js';

describe('claimStitchableEntities', () => {
  const db = useTestDatabase();
  beforeEach(() => truncateAll(db().dataSource));

  it('claims marked rows whose mark has settled, leases them and returns the lease as the ticket', async () => {
    const ds = db().dataSource;
    await seedEntities(ds, [
      { ref: 'component:default/old-mark', nextStitchIn: -5 },
      { ref: 'component:default/fresh-mark', nextStitchIn: 0 },
      { ref: 'component:default/unmarked', nextStitchIn: null },
      { ref: 'component:default/leased', nextStitchIn: 30 },
    ]);
    const claim = await withConnection(ds, (sql) =>
      claimStitchableEntities(sql, { batchSize: 10, leaseMs: 60_000, settleMs: 2000 }),
    );
    expect(claim!.items.map((i) => i.entityRef)).toEqual(['component:default/old-mark']);
    expect(claim!.ticket.getTime()).toBeGreaterThan(Date.now() + 55_000);
    const [row]: Array<{ next_stitch_at: Date }> = await ds.query(
      `SELECT next_stitch_at FROM refresh_state WHERE entity_ref = 'component:default/old-mark'`,
    );
    expect(row!.next_stitch_at.getTime()).toBe(claim!.ticket.getTime());
  });

  it('returns undefined when nothing is due and never hands a row to two claimers', async () => {
    const ds = db().dataSource;
    expect(
      await withConnection(ds, (sql) => claimStitchableEntities(sql, { batchSize: 10, leaseMs: 1000 })),
    ).toBeUndefined();
    await seedEntities(
      ds,
      Array.from({ length: 100 }, (_, i) => ({ ref: `component:default/c${i}`, nextStitchIn: -1 })),
    );
    const claims = await Promise.all(
      Array.from({ length: 5 }, () =>
        withConnection(ds, (sql) => claimStitchableEntities(sql, { batchSize: 30, leaseMs: 60_000 })),
      ),
    );
    const refs = claims.flatMap((c) => c?.items ?? []).map((i) => i.entityRef);
    expect(refs).toHaveLength(100);
    expect(new Set(refs).size).toBe(100);
  });
});
