import { backoffDelay } from './backoff.js';

describe('backoffDelay', () => {
  it('doubles from the base up to the maximum, with jitter in the upper half', () => {
    expect(backoffDelay(0, 100, 1000, () => 0)).toBe(50);
    expect(backoffDelay(0, 100, 1000, () => 1)).toBe(100);
    expect(backoffDelay(3, 100, 1000, () => 1)).toBe(800);
    expect(backoffDelay(10, 100, 1000, () => 1)).toBe(1000);
    expect(backoffDelay(1000, 100, 1000, () => 0.5)).toBe(750);
  });
});
