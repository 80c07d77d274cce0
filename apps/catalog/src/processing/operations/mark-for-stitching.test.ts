import { withConnection } from '../util/sql.js';
import { seedEntities, truncateAll, useTestDatabase } from '../testing/seed.js';
import { markForStitching } from './mark-for-stitching.js';

describe('markForStitching', () => {
  const db = useTestDatabase();
  beforeEach(() => truncateAll(db().dataSource));

  async function stitchTimes() {
    const rows: Array<{ entity_ref: string; state: string }> = await db().dataSource.query(
      `SELECT entity_ref, CASE WHEN next_stitch_at IS NULL THEN 'none'
                               WHEN next_stitch_at > now() + interval '1 second' THEN 'leased'
                               WHEN next_stitch_at < now() - interval '5 seconds' THEN 'old' ELSE 'now' END AS state
         FROM refresh_state ORDER BY entity_ref`,
    );
    return Object.fromEntries(rows.map((r) => [r.entity_ref, r.state]));
  }

  it('marks unmarked and leased rows, leaves rows already due alone, ignores unknown refs', async () => {
    const ds = db().dataSource;
    await seedEntities(ds, [
      { ref: 'component:default/none', nextStitchIn: null },
      { ref: 'component:default/leased', nextStitchIn: 60 },
      { ref: 'component:default/due', nextStitchIn: -30 },
      { ref: 'component:default/other', nextStitchIn: null },
    ]);
    const marked = await withConnection(ds, (sql) =>
      markForStitching(sql, [
        'component:default/none',
        'component:default/leased',
        'component:default/due',
        'x:y/z',
      ]),
    );
    expect(marked).toBe(2);
    expect(await stitchTimes()).toEqual({
      'component:default/due': 'old',
      'component:default/leased': 'now',
      'component:default/none': 'now',
      'component:default/other': 'none',
    });
  });

  it('writes nothing for an empty set', async () => {
    expect(await withConnection(db().dataSource, (sql) => markForStitching(sql, []))).toBe(0);
  });
});
