import { Liveness } from './liveness.js';
import { Readiness } from './readiness.js';

describe('Readiness', () => {
  it('is ready only when every required check passed, and says why not', () => {
    const r = new Readiness();
    const changes: boolean[] = [];
    r.on('change', (ready: boolean) => changes.push(ready));
    r.require('migrations', 'Database migrations have not run');
    r.require('registered', 'Not registered with the gateway');
    expect(r.isReady()).toBe(false);
    expect(r.reasons()).toEqual(['Database migrations have not run', 'Not registered with the gateway']);
    r.set('migrations', true);
    r.set('registered', true);
    expect(r.isReady()).toBe(true);
    r.set('registered', false);
    expect(r.reasons()).toEqual(['Not registered with the gateway']);
    r.set('registered', true);
    r.markShuttingDown();
    expect(r.isReady()).toBe(false);
    expect(changes).toEqual([true, false, true, false]);
  });
});

describe('Liveness', () => {
  it('reports a loop that stopped ticking', () => {
    let now = 0;
    const l = new Liveness(() => now);
    const tick = l.register('processing', 1000);
    now = 900;
    expect(l.stalled()).toEqual([]);
    now = 1500;
    expect(l.stalled()).toEqual(['processing']);
    tick();
    expect(l.stalled()).toEqual([]);
  });
});
