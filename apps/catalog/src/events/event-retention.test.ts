import { truncateAll, useTestDatabase } from '../processing/testing/seed.js';
import { EventRetention } from './event-retention.js';
import { insertEvent } from './testing/events.js';

const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY);

describe('EventRetention', () => {
  const db = useTestDatabase();

  beforeEach(() => truncateAll(db().dataSource));

  async function remaining(): Promise<string[]> {
    const rows: Array<{ line: string }> = await db().dataSource.query(
      `SELECT entity_ref || ' ' || type || ' ' || coalesce(final_entity->'spec'->>'version', '-') AS line
         FROM entity_events ORDER BY id`,
    );
    return rows.map((r) => r.line);
  }

  it('deletes expired events but keeps the latest of each live entity, however old', async () => {
    const { dataSource } = db();
    await insertEvent(dataSource, 'component:default/old', { version: 1, createdAt: daysAgo(50) });
    await insertEvent(dataSource, 'component:default/old', { version: 2, createdAt: daysAgo(40) });
    await insertEvent(dataSource, 'component:default/busy', { version: 1, createdAt: daysAgo(40) });
    await insertEvent(dataSource, 'component:default/busy', { version: 2, createdAt: daysAgo(1) });
    await insertEvent(dataSource, 'component:default/gone', { version: 1, createdAt: daysAgo(45) });
    await insertEvent(dataSource, 'component:default/gone', { type: 'deleted', createdAt: daysAgo(40) });
    await insertEvent(dataSource, 'component:default/recent', { type: 'deleted', createdAt: daysAgo(2) });

    expect(await new EventRetention(dataSource, 2).sweep(30 * DAY)).toBe(4);
    expect(await remaining()).toEqual([
      'component:default/old upserted 2',
      'component:default/busy upserted 2',
      'component:default/recent deleted -',
    ]);
    expect(await new EventRetention(dataSource).sweep(30 * DAY)).toBe(0);
  });

  it('lets one replica sweep at a time', async () => {
    const { dataSource } = db();
    await insertEvent(dataSource, 'component:default/x', { version: 1, createdAt: daysAgo(40) });
    await insertEvent(dataSource, 'component:default/x', { version: 2, createdAt: daysAgo(40) });
    const other = await db().connect(1);
    const runner = other.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await runner.query("SELECT pg_advisory_xact_lock(hashtext('portal-catalog-entity-events-retention'))");
      expect(await new EventRetention(dataSource).sweep(30 * DAY)).toBe(0);
      await runner.commitTransaction();
      expect(await new EventRetention(dataSource).sweep(30 * DAY)).toBe(1);
    } finally {
      await runner.release();
    }
  });
});
