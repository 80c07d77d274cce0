import { StreamHorizon } from './stream-horizon.js';
import { useTestDatabase } from '../processing/testing/seed.js';
import { advanceTo, insertEvent, openTransaction } from './testing/events.js';

describe('StreamHorizon bookkeeping', () => {
  const horizon = () => new StreamHorizon(undefined as never);
  const observe = (h: StreamHorizon, lastId: bigint, xid: bigint, xmin: bigint) => {
    if (h.wantsMark(lastId)) h.mark(lastId, xid);
    return h.promote(xmin);
  };

  it('starts at 0 when no id was ever handed out, whatever is in flight', () => {
    const h = horizon();
    expect(h.wantsMark(0n)).toBe(false);
    expect(h.promote(10n)).toBe(0n);
  });

  it('promotes a mark only once every transaction older than its xid has ended', () => {
    const h = horizon();
    expect(observe(h, 5n, 103n, 100n)).toBeUndefined(); // 100..102 may hold ids <= 5
    expect(h.pending).toBe(true);
    expect(observe(h, 7n, 105n, 102n)).toBeUndefined();
    expect(observe(h, 7n, 106n, 103n)).toBe(5n); // the first mark promoted, the second still waits
    expect(observe(h, 9n, 107n, 107n)).toBe(9n); // nothing older running: everything is final
    expect(h.pending).toBe(false);
    expect(h.wantsMark(9n)).toBe(false);
  });

  it('never moves back, and keeps a bounded number of marks', () => {
    const h = horizon();
    for (let i = 1n; i <= 100n; i++) observe(h, i, 1000n + i, 1n);
    expect((h as unknown as { marks: unknown[] }).marks.length).toBeLessThanOrEqual(32);
    expect(h.promote(1100n)).toBe(100n);
    expect(h.promote(1n)).toBe(100n);
  });
});

describe('StreamHorizon against PostgreSQL', () => {
  const db = useTestDatabase();

  it('stays below an id whose transaction is still open, even when a higher id committed', async () => {
    const { dataSource } = db();
    const horizon = new StreamHorizon(dataSource);
    await advanceTo(horizon, 0n);
    const early = await openTransaction(dataSource); // older xid, draws its id late
    const late = await openTransaction(dataSource);
    try {
      const lowId = BigInt(await insertEvent(late, 'component:default/low'));
      const highId = BigInt(await insertEvent(early, 'component:default/high'));
      expect(highId).toBeGreaterThan(lowId);
      await early.query('COMMIT');
      for (let i = 0; i < 5; i++) {
        await horizon.advance();
        expect(horizon.value ?? 0n).toBeLessThan(lowId);
      }
      await late.query('COMMIT');
      await advanceTo(horizon, highId);
    } finally {
      await early.end();
      await late.end();
    }
  });
});
