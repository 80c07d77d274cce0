import { withConnection } from '../util/sql.js';
import { entityEvents } from '../testing/fixtures.js';
import { entityFor, truncateAll, useTestDatabase } from '../testing/seed.js';
import { appendEntityEvents } from './append-entity-events.js';

describe('appendEntityEvents', () => {
  const db = useTestDatabase();
  beforeEach(() => truncateAll(db().dataSource));

  it('appends events in the order given, with the writing transaction id', async () => {
    const ds = db().dataSource;
    const entity = entityFor('component:default/a');
    await withConnection(ds, (sql) =>
      appendEntityEvents(sql, [
        {
          entityId: '00000000-0000-4000-8000-000000000001',
          entityRef: 'component:default/a',
          type: 'upserted',
          finalEntity: entity,
          source: 'file:/a.yaml',
        },
        {
          entityId: '00000000-0000-4000-8000-000000000002',
          entityRef: 'component:default/b',
          type: 'deleted',
          finalEntity: null,
          source: 'p',
        },
        {
          entityId: '00000000-0000-4000-8000-000000000001',
          entityRef: 'component:default/a',
          type: 'orphaned',
          finalEntity: entity,
          source: null,
        },
      ]),
    );
    const events = await entityEvents(ds);
    expect(events.map((e) => [e.entityRef, e.type, e.source])).toEqual([
      ['component:default/a', 'upserted', 'file:/a.yaml'],
      ['component:default/b', 'deleted', 'p'],
      ['component:default/a', 'orphaned', null],
    ]);
    expect(events[0]!.finalEntity).toEqual(entity);
    expect(events[1]!.finalEntity).toBeNull();
    const txs: Array<{ n: string }> = await ds.query(
      'SELECT count(DISTINCT tx_id)::text AS n FROM entity_events',
    );
    expect(txs[0]!.n).toBe('1');
  });

  it('refuses an unknown event type', async () => {
    await expect(
      withConnection(db().dataSource, (sql) =>
        appendEntityEvents(sql, [
          {
            entityId: '00000000-0000-4000-8000-000000000001',
            entityRef: 'x:y/z',
            type: 'bogus' as never,
            finalEntity: null,
            source: null,
          },
        ]),
      ),
    ).rejects.toThrow(/entity_events_type_known/);
  });
});
