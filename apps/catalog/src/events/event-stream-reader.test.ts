import { truncateAll, useTestDatabase } from '../processing/testing/seed.js';
import { EventStreamReader, type StreamEvent } from './event-stream-reader.js';
import { parseEventFilter } from './event-filter.js';
import { StreamHorizon } from './stream-horizon.js';
import { advanceTo, insertEvent, openTransaction } from './testing/events.js';

describe('EventStreamReader', () => {
  const db = useTestDatabase();
  let reader: EventStreamReader;

  beforeEach(async () => {
    await truncateAll(db().dataSource);
    reader = new EventStreamReader(db().dataSource, new StreamHorizon(db().dataSource));
  });

  /** Every event after `cursor`, page by page. */
  async function readAll(cursor: string, pageSize: number, filter?: ReturnType<typeof parseEventFilter>) {
    const events: StreamEvent[] = [];
    for (;;) {
      const page = await reader.readAfter(cursor, pageSize, filter);
      events.push(...page.events);
      if (page.cursor === cursor) return { events, cursor };
      cursor = page.cursor;
    }
  }

  it('returns events in id order with their shape, each entity in the order of its changes', async () => {
    const { dataSource } = db();
    for (let version = 1; version <= 6; version++) {
      await insertEvent(dataSource, 'component:default/a', { version });
      await insertEvent(dataSource, 'group:default/team', { version });
    }
    const last = await insertEvent(dataSource, 'component:default/a', { type: 'deleted' });
    await advanceTo(reader.horizon, BigInt(last));
    const { events } = await readAll('0', 2);
    expect(events.map((e) => Number(e.cursor))).toEqual(
      [...events.map((e) => Number(e.cursor))].sort((x, y) => x - y),
    );
    const ofA = events.filter((e) => e.entityRef === 'component:default/a');
    expect(ofA.map((e) => (e.entity?.spec as { version?: number } | undefined)?.version ?? e.type)).toEqual([
      1,
      2,
      3,
      4,
      5,
      6,
      'deleted',
    ]);
    expect(ofA[6]).toMatchObject({ type: 'deleted', entity: null, source: 'test' });
    expect(ofA[0]!.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(ofA[0]!.entityId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('never skips an event whose lower id commits after a higher one', async () => {
    const { dataSource } = db();
    await advanceTo(reader.horizon, 0n);
    const first = await insertEvent(dataSource, 'component:default/before');
    await advanceTo(reader.horizon, BigInt(first));
    const slow = await openTransaction(dataSource);
    const fast = await openTransaction(dataSource);
    let seen: StreamEvent[] = [];
    let cursor = '0';
    try {
      const low = await insertEvent(slow, 'component:default/slow');
      const high = await insertEvent(fast, 'component:default/fast');
      await fast.query('COMMIT');
      // The reader polls while the slow transaction is open: it may deliver what is below, never `high`.
      for (let i = 0; i < 5; i++) {
        await reader.horizon.advance();
        const page = await reader.readAfter(cursor, 100);
        seen.push(...page.events);
        cursor = page.cursor;
        expect(BigInt(cursor)).toBeLessThan(BigInt(low));
      }
      expect(seen.map((e) => e.cursor)).toEqual([first]);
      await slow.query('COMMIT');
      await advanceTo(reader.horizon, BigInt(high));
      seen = [...seen, ...(await readAll(cursor, 100)).events];
      expect(seen.map((e) => e.entityRef)).toEqual([
        'component:default/before',
        'component:default/slow',
        'component:default/fast',
      ]);
    } finally {
      await slow.end();
      await fast.end();
    }
  });

  it('resumes after a cursor, and refuses malformed ones', async () => {
    const { dataSource } = db();
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push(await insertEvent(dataSource, `component:default/c${i}`));
    await advanceTo(reader.horizon, BigInt(ids[9]!));
    const resumed = await readAll(ids[3]!, 4);
    expect(resumed.events.map((e) => e.cursor)).toEqual(ids.slice(4));
    expect(resumed.cursor).toBe(ids[9]);
    expect((await reader.readAfter(ids[9]!, 10)).events).toEqual([]);
    await expect(reader.readAfter('abc', 10)).rejects.toMatchObject({ name: 'InputError' });
  });

  it('filters on kind, namespace and name in SQL, and moves the cursor past what it filtered out', async () => {
    const { dataSource } = db();
    await insertEvent(dataSource, 'component:default/a');
    await insertEvent(dataSource, 'api:default/a');
    await insertEvent(dataSource, 'component:ops/b');
    const last = await insertEvent(dataSource, 'group:default/a');
    await advanceTo(reader.horizon, BigInt(last));
    const components = await reader.readAfter('0', 10, parseEventFilter({ kind: 'Component' }));
    expect(components.events.map((e) => e.entityRef)).toEqual(['component:default/a', 'component:ops/b']);
    expect(components.cursor).toBe(last);
    const named = await readAll('0', 1, parseEventFilter({ name: 'A', namespace: { $in: ['default'] } }));
    expect(named.events.map((e) => e.entityRef)).toEqual([
      'component:default/a',
      'api:default/a',
      'group:default/a',
    ]);
  });
});
