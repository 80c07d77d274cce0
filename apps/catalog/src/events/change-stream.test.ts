import type { Logger } from '@portal/platform';
import { truncateAll, useTestDatabase } from '../processing/testing/seed.js';
import { ChangeStream, type StreamSubscription } from './change-stream.js';
import { EventStreamReader, type StreamEvent } from './event-stream-reader.js';
import { parseEventFilter } from './event-filter.js';
import { StreamHorizon } from './stream-horizon.js';
import { eventually, insertEvent, openTransaction } from './testing/events.js';

const logger = { warn: () => undefined, info: () => undefined } as unknown as Logger;

/** Collects what a subscription yields, in the background. */
function collect(subscription: StreamSubscription): { events: StreamEvent[]; done: Promise<void> } {
  const events: StreamEvent[] = [];
  const done = (async () => {
    for await (const event of subscription) events.push(event);
  })();
  return { events, done };
}

describe('ChangeStream', () => {
  const db = useTestDatabase();
  const streams: ChangeStream[] = [];

  function streamWith(options: { listen?: boolean; pollIntervalMs?: number; bufferSize?: number } = {}) {
    const { dataSource } = db();
    const stream = new ChangeStream({
      reader: new EventStreamReader(dataSource, new StreamHorizon(dataSource)),
      logger,
      listenUrl: options.listen === false ? undefined : (dataSource.options as { url: string }).url,
      pollIntervalMs: options.pollIntervalMs ?? 60_000,
      pendingRecheckMs: 20,
      bufferSize: options.bufferSize,
    });
    streams.push(stream);
    stream.start();
    return stream;
  }

  beforeEach(() => truncateAll(db().dataSource));
  afterEach(async () => {
    await Promise.all(streams.splice(0).map((s) => s.stop()));
  });

  it('is woken by NOTIFY at commit, without waiting for the poll', async () => {
    const stream = streamWith({ pollIntervalMs: 60_000 });
    const subscription = await stream.subscribe('0');
    const { events } = collect(subscription);
    await eventually(
      'the LISTEN connection',
      () => (stream as unknown as { listener?: { listening: boolean } }).listener?.listening === true,
    );
    await insertEvent(db().dataSource, 'component:default/a');
    await eventually('the event', () => events.length === 1, 10_000);
    expect(stream.notifications).toBeGreaterThan(0);
    expect(events[0]).toMatchObject({ entityRef: 'component:default/a', type: 'upserted' });
  });

  it('finds events by polling when no notification comes', async () => {
    const stream = streamWith({ listen: false, pollIntervalMs: 100 });
    const { events } = collect(await stream.subscribe('0'));
    await insertEvent(db().dataSource, 'component:default/a');
    await insertEvent(db().dataSource, 'component:default/b');
    await eventually('both events', () => events.length === 2);
    expect(stream.notifications).toBe(0);
  });

  it('starts from now with an empty cursor, from the oldest with "0", and filters', async () => {
    const { dataSource } = db();
    const old = await insertEvent(dataSource, 'component:default/old');
    const stream = streamWith({ pollIntervalMs: 100 });
    await eventually('the horizon', () => (stream.reader.horizon.value ?? 0n) >= BigInt(old));
    const fromNow = collect(await stream.subscribe(''));
    const fromStart = collect(await stream.subscribe('0'));
    const groups = collect(await stream.subscribe('0', parseEventFilter({ kind: 'group' })));
    await insertEvent(dataSource, 'component:default/new');
    await insertEvent(dataSource, 'group:default/team');
    await eventually('every subscriber', () => fromNow.events.length === 2 && fromStart.events.length === 3);
    await eventually('the filtered one', () => groups.events.length === 1);
    expect(fromNow.events.map((e) => e.entityRef)).toEqual(['component:default/new', 'group:default/team']);
    expect(fromStart.events[0]!.entityRef).toBe('component:default/old');
    expect(groups.events[0]!.entityRef).toBe('group:default/team');
  });

  it('delivers every event exactly once, in id order, while concurrent writers commit out of order', async () => {
    const { dataSource } = db();
    const stream = streamWith({ pollIntervalMs: 50 });
    const { events } = collect(await stream.subscribe('0'));
    const committed: string[] = [];
    const writer = async (w: number) => {
      for (let t = 0; t < 15; t++) {
        const tx = await openTransaction(dataSource);
        try {
          const ids = [];
          for (let i = 0; i < 3; i++)
            ids.push(await insertEvent(tx, `component:default/w${w}-${i}`, { version: t }));
          await new Promise((r) => setTimeout(r, Math.random() * 30));
          if (t % 5 === 4) await tx.query('ROLLBACK');
          else {
            await tx.query('COMMIT');
            committed.push(...ids);
          }
        } finally {
          await tx.end();
        }
      }
    };
    await Promise.all([0, 1, 2, 3].map(writer));
    await eventually('every committed event', () => events.length >= committed.length, 20_000);
    const received = events.map((e) => BigInt(e.cursor));
    expect(received).toEqual([...received].sort((a, b) => (a < b ? -1 : 1)));
    expect(new Set(events.map((e) => e.cursor)).size).toBe(events.length);
    expect(events.map((e) => e.cursor).sort()).toEqual([...committed].sort());
  });

  it('pauses reading for a slow consumer: the buffer stays bounded, nothing is lost', async () => {
    const { dataSource } = db();
    const stream = streamWith({ pollIntervalMs: 50, bufferSize: 10 });
    const subscription = await stream.subscribe('0');
    await dataSource.query(
      `INSERT INTO entity_events (entity_id, entity_ref, type, final_entity, source)
       SELECT gen_random_uuid(), 'component:default/c' || n, 'upserted', '{}'::jsonb, 'bulk'
         FROM generate_series(1, 200) AS n`,
    );
    await eventually('the first read', () => subscription.buffered === 10);
    await new Promise((r) => setTimeout(r, 300)); // several ticks: it must not read further
    expect(subscription.buffered).toBe(10);
    expect(subscription.fetched).toBe(10);
    const received: StreamEvent[] = [];
    for await (const event of subscription) {
      received.push(event);
      expect(subscription.buffered).toBeLessThanOrEqual(10);
      if (received.length === 200) break;
    }
    expect(received.map((e) => e.entityRef)).toEqual(
      Array.from({ length: 200 }, (_, i) => `component:default/c${i + 1}`),
    );
    expect(subscription.isClosed).toBe(true); // break closed it
    expect(stream.subscriberCount).toBe(0);
  });

  it('ends every subscription on stop', async () => {
    const stream = streamWith();
    const one = collect(await stream.subscribe('0'));
    const two = collect(await stream.subscribe(''));
    expect(stream.subscriberCount).toBe(2);
    await stream.stop();
    await Promise.all([one.done, two.done]);
    expect(stream.subscriberCount).toBe(0);
    await expect(stream.subscribe('x')).rejects.toMatchObject({ name: 'InputError' });
  });

  it('refuses a cursor ahead of the stream', async () => {
    const stream = streamWith();
    const last = await insertEvent(db().dataSource, 'component:default/a');
    await expect(stream.subscribe(String(BigInt(last) + 1000n))).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('ahead'),
    });
    (await stream.subscribe(last)).close();
  });
});
