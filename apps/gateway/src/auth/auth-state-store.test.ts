import { MemoryAuthStateStore } from './auth-state-store.js';

describe('MemoryAuthStateStore', () => {
  it('keeps values until their TTL, takes them once', async () => {
    let now = 1_000_000;
    const store = new MemoryAuthStateStore(() => now);
    await store.put('session:a', { user: 'jane' }, 60);
    await store.put('pending:b', { nonce: 'n' }, 10);
    expect(await store.get('session:a')).toEqual({ user: 'jane' });
    expect(await store.take('pending:b')).toEqual({ nonce: 'n' });
    expect(await store.take('pending:b')).toBeUndefined();
    now += 61_000;
    expect(await store.get('session:a')).toBeUndefined();
    await store.put('x', 1, 60);
    await store.delete('x');
    expect(await store.get('x')).toBeUndefined();
  });
});
