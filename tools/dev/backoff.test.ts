import { RestartBackoff } from './backoff.mjs';

describe('RestartBackoff', () => {
  it('doubles the delay from 1 s up to at most 30 s while crashes follow each other', () => {
    const backoff = new RestartBackoff();
    const delays = Array.from({ length: 8 }, () => backoff.nextDelay(500));
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  it('starts over at 1 s after a process stayed up for 60 s', () => {
    const backoff = new RestartBackoff();
    backoff.nextDelay(100);
    backoff.nextDelay(100);
    expect(backoff.nextDelay(100)).toBe(4000);
    expect(backoff.nextDelay(60_000)).toBe(1000);
    expect(backoff.nextDelay(59_999)).toBe(2000);
  });

  it('takes its limits from the options', () => {
    const backoff = new RestartBackoff({ initialMs: 10, maxMs: 25, resetAfterMs: 100 });
    expect([backoff.nextDelay(0), backoff.nextDelay(0), backoff.nextDelay(0)]).toEqual([10, 20, 25]);
    expect(backoff.nextDelay(100)).toBe(10);
  });

  it('stays at the maximum after very many crashes', () => {
    const backoff = new RestartBackoff();
    for (let i = 0; i < 100; i++) backoff.nextDelay(0);
    expect(backoff.nextDelay(0)).toBe(30_000);
  });
});
