import { MemoryCache } from './memory-cache.js';

describe('MemoryCache', () => {
  it('stores JSON values with TTLs, namespaced, and bounded in size', async () => {
    let now = 0;
    const cache = new MemoryCache(1000, 3, new Map(), '', () => now);
    const a = cache.withNamespace('a');
    const b = cache.withNamespace('b');
    await a.set('k', { v: 1 });
    await b.set('k', 'other', { ttlMs: 10 });
    expect(await a.get('k')).toEqual({ v: 1 });
    expect(await b.get('k')).toBe('other');
    now = 11;
    expect(await b.get('k')).toBeUndefined();
    now = 1001;
    expect(await a.get('k')).toBeUndefined();
    for (const k of ['1', '2', '3', '4']) await cache.set(k, k);
    expect(await cache.get('1')).toBeUndefined();
    expect(await cache.get('4')).toBe('4');
    await cache.delete('4');
    expect(await cache.get('4')).toBeUndefined();
  });
});
