import { Liveness } from '@portal/platform';
import { silentLogger } from '../testing/fixtures.js';
import { BackgroundLoop } from './background-loop.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('BackgroundLoop', () => {
  it('goes on at once while there is work and waits when idle; wake() cuts the wait short', async () => {
    const results = [true, true, false, false];
    let calls = 0;
    const loop = new BackgroundLoop({
      name: 'test',
      logger: silentLogger(),
      livenessAllowanceMs: 1000,
      idleMs: 10_000,
      iterate: async () => results[calls++] ?? false,
    });
    loop.start();
    await sleep(100);
    expect(calls).toBe(3);
    loop.wake();
    await sleep(50);
    expect(calls).toBe(4);
    await loop.stop();
  });

  it('survives failures, backing off, and reports liveness while it does', async () => {
    const liveness = new Liveness();
    let calls = 0;
    const loop = new BackgroundLoop({
      name: 'flaky',
      logger: silentLogger(),
      liveness,
      livenessAllowanceMs: 1000,
      idleMs: 5,
      iterate: async () => {
        calls++;
        if (calls <= 3) throw Object.assign(new Error('connection refused'), { code: 'ECONNREFUSED' });
        return false;
      },
    });
    loop.start();
    await sleep(1500);
    expect(calls).toBeGreaterThan(4);
    expect(liveness.stalled()).toEqual([]);
    await loop.stop();
  });

  it('reports a loop that stopped making progress', async () => {
    let now = 0;
    const liveness = new Liveness(() => now);
    let release!: () => void;
    const loop = new BackgroundLoop({
      name: 'stuck',
      logger: silentLogger(),
      liveness,
      livenessAllowanceMs: 1000,
      idleMs: 5,
      iterate: () => new Promise<boolean>((resolve) => (release = () => resolve(false))),
    });
    loop.start();
    await sleep(20);
    now = 500;
    loop.progress();
    now = 1400;
    expect(liveness.stalled()).toEqual([]);
    now = 1600;
    expect(liveness.stalled()).toEqual(['stuck']);
    release();
    const stopped = loop.stop();
    release();
    await stopped;
    expect(liveness.stalled()).toEqual([]);
  });

  it('stop() waits for the iteration in progress', async () => {
    let finished = false;
    const loop = new BackgroundLoop({
      name: 'slow',
      logger: silentLogger(),
      livenessAllowanceMs: 1000,
      idleMs: 10_000,
      iterate: async () => {
        await sleep(100);
        finished = true;
        return false;
      },
    });
    loop.start();
    await sleep(10);
    await loop.stop();
    expect(finished).toBe(true);
  });
});
