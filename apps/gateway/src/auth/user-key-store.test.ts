import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { errors as joseErrors, exportJWK, generateKeyPair, type FlattenedJWSInput } from 'jose';
import { InputError, SigningKey } from '@portal/platform';
import {
  createUserKeyResolver,
  MemoryUserKeyStore,
  RedisUserKeyStore,
  UserKeyPublisher,
  type UserKeyStore,
} from './user-key-store.js';

const describeRedis = process.env.REDIS_URL ? describe : describe.skip;
if (!process.env.REDIS_URL) {
  console.warn('RedisUserKeyStore tests skipped: set REDIS_URL (e.g. redis://127.0.0.1:6379) to run them');
}

const noToken = {} as FlattenedJWSInput;
const HOUR = 3600_000;

describe('MemoryUserKeyStore', () => {
  it('lists the public keys until they expire', async () => {
    let now = 1_000_000;
    const store = new MemoryUserKeyStore(() => now);
    const a = await SigningKey.generate();
    const b = await SigningKey.generate();
    await store.addKey(a.publicJwk(), { expiresAt: now + HOUR });
    await store.addKey(b.publicJwk(), { expiresAt: now + 2 * HOUR });
    expect(await store.listKeys()).toEqual([a.publicJwk(), b.publicJwk()]);
    now += HOUR;
    expect(await store.listKeys()).toEqual([b.publicJwk()]);
    // Adding again extends the expiry.
    await store.addKey(b.publicJwk(), { expiresAt: now + 5 * HOUR });
    now += 2 * HOUR;
    expect(await store.listKeys()).toEqual([b.publicJwk()]);
  });

  it('refuses private keys and keys that are not ES256 with a kid', async () => {
    const store = new MemoryUserKeyStore();
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const privateJwk = { ...(await exportJWK(privateKey)), kid: 'x' };
    await expect(store.addKey(privateJwk, { expiresAt: Date.now() + HOUR })).rejects.toThrow(
      'Only public keys',
    );
    const rsa = await generateKeyPair('RS256', { extractable: true });
    await expect(
      store.addKey({ ...(await exportJWK(rsa.publicKey)), kid: 'r' }, { expiresAt: Date.now() + HOUR }),
    ).rejects.toThrow(InputError);
    const good = (await SigningKey.generate()).publicJwk();
    await expect(store.addKey({ ...good, kid: undefined }, { expiresAt: Date.now() + HOUR })).rejects.toThrow(
      'kid',
    );
    await expect(store.addKey(good, { expiresAt: Number.NaN })).rejects.toThrow('expiry');
    expect(await store.listKeys()).toEqual([]);
  });

  it('publishes only the public members', async () => {
    const store = new MemoryUserKeyStore();
    const jwk = {
      ...(await SigningKey.generate()).publicJwk(),
      key_ops: ['verify'],
      ext: true,
      x5u: 'http://evil',
    };
    await store.addKey(jwk, { expiresAt: Date.now() + HOUR });
    expect(Object.keys((await store.listKeys())[0]!).sort()).toEqual([
      'alg',
      'crv',
      'kid',
      'kty',
      'use',
      'x',
      'y',
    ]);
  });
});

describeRedis('RedisUserKeyStore (REDIS_URL)', () => {
  const prefix = `portal-test:${randomUUID()}:`;
  let replicaA: Redis;
  let replicaB: Redis;

  beforeAll(() => {
    replicaA = new Redis(process.env.REDIS_URL!, { lazyConnect: false, maxRetriesPerRequest: 1 });
    replicaB = new Redis(process.env.REDIS_URL!, { lazyConnect: false, maxRetriesPerRequest: 1 });
  });

  afterAll(async () => {
    const keys = await replicaA.keys(`${prefix}*`);
    if (keys.length) await replicaA.del(...keys);
    replicaA.disconnect();
    replicaB.disconnect();
  });

  it("lets two gateway replicas publish each other's keys", async () => {
    const storeA = new RedisUserKeyStore(replicaA, { prefix });
    const storeB = new RedisUserKeyStore(replicaB, { prefix });
    const keyA = await SigningKey.generate();
    const keyB = await SigningKey.generate();
    await storeA.addKey(keyA.publicJwk(), { expiresAt: Date.now() + HOUR });
    await storeB.addKey(keyB.publicJwk(), { expiresAt: Date.now() + HOUR });
    const byKid = (keys: Array<{ kid: string }>) => keys.map((k) => k.kid).sort();
    expect(byKid(await storeA.listKeys())).toEqual([keyA.kid, keyB.kid].sort());
    expect(byKid(await storeB.listKeys())).toEqual([keyA.kid, keyB.kid].sort());
    expect(await replicaA.hlen(`${prefix}user-signing-keys`)).toBe(2);
  });

  it('drops expired and corrupt entries from the hash', async () => {
    const ownPrefix = `${prefix}expiry:`;
    let now = Date.now();
    const store = new RedisUserKeyStore(replicaA, { prefix: ownPrefix, now: () => now });
    const old = await SigningKey.generate();
    const fresh = await SigningKey.generate();
    await store.addKey(old.publicJwk(), { expiresAt: now + 1000 });
    await store.addKey(fresh.publicJwk(), { expiresAt: now + HOUR });
    await replicaA.hset(`${ownPrefix}user-signing-keys`, 'garbage', '{not json');
    now += 2000;
    expect((await store.listKeys()).map((k) => k.kid)).toEqual([fresh.kid]);
    expect((await replicaA.hkeys(`${ownPrefix}user-signing-keys`)).sort()).toEqual([fresh.kid]);
  });

  it('resolves a token key published by the other replica', async () => {
    const ownPrefix = `${prefix}resolver:`;
    const storeA = new RedisUserKeyStore(replicaA, { prefix: ownPrefix });
    const storeB = new RedisUserKeyStore(replicaB, { prefix: ownPrefix });
    const keyA = await SigningKey.generate();
    const resolveOnB = createUserKeyResolver(storeB, { cooldownMs: 0 });
    await expect(resolveOnB({ alg: 'ES256', kid: keyA.kid }, noToken)).rejects.toBeInstanceOf(
      joseErrors.JWKSNoMatchingKey,
    );
    await storeA.addKey(keyA.publicJwk(), { expiresAt: Date.now() + HOUR });
    await expect(resolveOnB({ alg: 'ES256', kid: keyA.kid }, noToken)).resolves.toMatchObject({
      type: 'public',
    });
  });
});

describe('createUserKeyResolver', () => {
  it('finds keys by kid, reloading for unknown kids at most once per cooldown', async () => {
    let now = 0;
    let listings = 0;
    const inner = new MemoryUserKeyStore();
    const store: UserKeyStore = {
      addKey: (jwk, options) => inner.addKey(jwk, options),
      listKeys: () => {
        listings++;
        return inner.listKeys();
      },
    };
    const a = await SigningKey.generate();
    const b = await SigningKey.generate();
    await store.addKey(a.publicJwk(), { expiresAt: Date.now() + HOUR });
    const resolve = createUserKeyResolver(store, { cacheMs: 30_000, cooldownMs: 1_000, now: () => now });

    const keyA = await resolve({ alg: 'ES256', kid: a.kid }, noToken);
    expect(keyA).toMatchObject({ type: 'public', algorithm: { name: 'ECDSA' } });
    expect(await resolve({ alg: 'ES256', kid: a.kid }, noToken)).toBe(keyA);
    expect(listings).toBe(1);

    await store.addKey(b.publicJwk(), { expiresAt: Date.now() + HOUR });
    // Within the cooldown an unknown kid does not hit the store again.
    await expect(resolve({ alg: 'ES256', kid: b.kid }, noToken)).rejects.toBeInstanceOf(
      joseErrors.JWKSNoMatchingKey,
    );
    expect(listings).toBe(1);
    now += 1_000;
    await expect(resolve({ alg: 'ES256', kid: b.kid }, noToken)).resolves.toMatchObject({ type: 'public' });
    expect(listings).toBe(2);

    await expect(resolve({ alg: 'HS256', kid: a.kid }, noToken)).rejects.toBeInstanceOf(
      joseErrors.JWKSNoMatchingKey,
    );
    await expect(resolve({ alg: 'ES256' }, noToken)).rejects.toBeInstanceOf(joseErrors.JWKSNoMatchingKey);
  });

  it('always resolves its own key, even when the store is down', async () => {
    const own = await SigningKey.generate();
    const down: UserKeyStore = {
      addKey: async () => {
        throw new Error('ECONNREFUSED');
      },
      listKeys: async () => {
        throw new Error('ECONNREFUSED');
      },
    };
    const resolve = createUserKeyResolver(down, { ownKey: own });
    await expect(resolve({ alg: 'ES256', kid: own.kid }, noToken)).resolves.toMatchObject({ type: 'public' });
    await expect(resolve({ alg: 'ES256', kid: 'other' }, noToken)).rejects.toThrow('ECONNREFUSED');
  });
});

describe('UserKeyPublisher', () => {
  it('publishes the key for the token lifetime plus two refresh intervals, and keeps refreshing', async () => {
    let now = 1_000_000;
    const store = new MemoryUserKeyStore(() => now);
    const key = await SigningKey.generate();
    const publisher = new UserKeyPublisher(store, key, {
      tokenExpiresInSeconds: 3600,
      refreshIntervalMs: 20,
      now: () => now,
    });
    await publisher.start();
    try {
      expect(await store.listKeys()).toEqual([key.publicJwk()]);
      now += HOUR + 39; // still published: 1 h + 2 × 20 ms after the first publication
      expect(await store.listKeys()).toHaveLength(1);
      now = 1_000_000 + HOUR + 40;
      expect(await store.listKeys()).toHaveLength(0);
      // The timer publishes it again from the current time.
      await new Promise((resolve) => setTimeout(resolve, 60));
      expect(await store.listKeys()).toEqual([key.publicJwk()]);
    } finally {
      publisher.stop();
    }
  });

  it('fails to start when the store is unreachable, and reports refresh failures', async () => {
    const key = await SigningKey.generate();
    let fail = true;
    const errors: unknown[] = [];
    const store: UserKeyStore = {
      addKey: async () => {
        if (fail) throw new Error('ECONNREFUSED');
      },
      listKeys: async () => [],
    };
    await expect(new UserKeyPublisher(store, key, { tokenExpiresInSeconds: 60 }).start()).rejects.toThrow(
      'ECONNREFUSED',
    );
    fail = false;
    const publisher = new UserKeyPublisher(store, key, {
      tokenExpiresInSeconds: 60,
      refreshIntervalMs: 10,
      onError: (e) => errors.push(e),
    });
    await publisher.start();
    fail = true;
    await new Promise((resolve) => setTimeout(resolve, 40));
    publisher.stop();
    expect(errors.length).toBeGreaterThan(0);
  });
});
