import { VersionedCache } from './versioned-cache.js';

describe('VersionedCache', () => {
  it('hits only for the same key and version', () => {
    const cache = new VersionedCache<number>(10);
    cache.set('a', '1', 42);
    expect(cache.get('a', '1')).toBe(42);
    expect(cache.get('a', '2')).toBeUndefined();
    expect(cache.get('b', '1')).toBeUndefined();
  });

  it('evicts the least recently used entry', () => {
    const cache = new VersionedCache<number>(2);
    cache.set('a', '1', 1);
    cache.set('b', '1', 2);
    cache.get('a', '1');
    cache.set('c', '1', 3);
    expect(cache.get('a', '1')).toBe(1);
    expect(cache.get('b', '1')).toBeUndefined();
    expect(cache.size).toBe(2);
  });

  it('runs one computation for concurrent identical requests and stores it under its own version', async () => {
    const cache = new VersionedCache<string>(10);
    let calls = 0;
    const compute = async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 10));
      return { version: '8', value: 'result' };
    };
    const results = await Promise.all([
      cache.getOrCompute('k', '7', compute),
      cache.getOrCompute('k', '7', compute),
      cache.getOrCompute('k', '7', compute),
    ]);
    expect(results).toEqual(['result', 'result', 'result']);
    expect(calls).toBe(1);
    // The computation saw version 8: that is what the entry is valid for.
    expect(cache.get('k', '7')).toBeUndefined();
    expect(cache.get('k', '8')).toBe('result');
  });

  it('does not keep failures', async () => {
    const cache = new VersionedCache<string>(10);
    await expect(cache.getOrCompute('k', '1', () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
    await expect(cache.getOrCompute('k', '1', async () => ({ version: '1', value: 'ok' }))).resolves.toBe(
      'ok',
    );
  });

  it('stores nothing when disabled', async () => {
    const cache = new VersionedCache<string>(0);
    await cache.getOrCompute('k', '1', async () => ({ version: '1', value: 'v' }));
    expect(cache.size).toBe(0);
  });
});
