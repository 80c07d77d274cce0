import type { Redis } from 'ioredis';
import {
  errors as joseErrors,
  importJWK,
  type CryptoKey,
  type FlattenedJWSInput,
  type JWK,
  type JWSHeaderParameters,
} from 'jose';
import { InputError, type PublicSigningJwk, type SigningKey, type UserKeyResolver } from '@portal/platform';

/**
 * The public keys user tokens are signed with, as published at /api/auth/.well-known/jwks.json.
 * Every gateway process signs with its own key and adds it here; with Redis, every replica
 * publishes the keys of all replicas, so a token from one verifies against the JWKS of any.
 */
export interface UserKeyStore {
  /** Adds (or extends) a public key; it is listed until `expiresAt` (epoch milliseconds). */
  addKey(jwk: JWK, options: { expiresAt: number }): Promise<void>;
  /** The keys that have not expired, public members only. */
  listKeys(): Promise<PublicSigningJwk[]>;
}

interface StoredKey {
  jwk: PublicSigningJwk;
  expiresAt: number;
}

/** Only the public members of an ES256 key; anything else is refused. */
function publicMembers(jwk: JWK): PublicSigningJwk {
  if ('d' in jwk) throw new InputError('Only public keys may be published');
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.x !== 'string' || typeof jwk.y !== 'string') {
    throw new InputError('User token keys must be EC P-256 (ES256) keys');
  }
  if (typeof jwk.kid !== 'string' || jwk.kid === '') throw new InputError('A published key needs a kid');
  return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, kid: jwk.kid, alg: 'ES256', use: 'sig' };
}

function checkExpiry(expiresAt: number): void {
  if (!Number.isFinite(expiresAt)) throw new InputError('A published key needs an expiry');
}

/** One gateway process: the keys live in its memory. */
export class MemoryUserKeyStore implements UserKeyStore {
  private readonly keys = new Map<string, StoredKey>();

  constructor(private readonly now: () => number = Date.now) {}

  async addKey(jwk: JWK, options: { expiresAt: number }): Promise<void> {
    checkExpiry(options.expiresAt);
    const key = publicMembers(jwk);
    this.keys.set(key.kid, { jwk: key, expiresAt: options.expiresAt });
  }

  async listKeys(): Promise<PublicSigningJwk[]> {
    const now = this.now();
    const live: PublicSigningJwk[] = [];
    for (const [kid, stored] of this.keys) {
      if (stored.expiresAt <= now) this.keys.delete(kid);
      else live.push({ ...stored.jwk });
    }
    return live;
  }
}

/**
 * Several gateway replicas: one Redis hash, field = kid, value = `{jwk, expiresAt}`. Expired
 * fields are skipped and removed when the keys are listed.
 */
export class RedisUserKeyStore implements UserKeyStore {
  private readonly hashKey: string;
  private readonly now: () => number;

  constructor(
    private readonly redis: Redis,
    options: { prefix?: string; now?: () => number } = {},
  ) {
    this.hashKey = `${options.prefix ?? 'portal:gateway:'}user-signing-keys`;
    this.now = options.now ?? Date.now;
  }

  async addKey(jwk: JWK, options: { expiresAt: number }): Promise<void> {
    checkExpiry(options.expiresAt);
    const key = publicMembers(jwk);
    const stored: StoredKey = { jwk: key, expiresAt: options.expiresAt };
    await this.redis.hset(this.hashKey, key.kid, JSON.stringify(stored));
  }

  async listKeys(): Promise<PublicSigningJwk[]> {
    const all = await this.redis.hgetall(this.hashKey);
    const now = this.now();
    const live: PublicSigningJwk[] = [];
    const stale: string[] = [];
    for (const [kid, raw] of Object.entries(all)) {
      const stored = parseStored(raw);
      if (!stored || stored.expiresAt <= now || stored.jwk.kid !== kid) stale.push(kid);
      else live.push(stored.jwk);
    }
    if (stale.length) {
      // Best effort: another replica may be doing the same.
      await this.redis.hdel(this.hashKey, ...stale).catch(() => undefined);
    }
    return live;
  }
}

function parseStored(raw: string): StoredKey | undefined {
  try {
    const value = JSON.parse(raw) as { jwk?: JWK; expiresAt?: unknown };
    if (!value || typeof value.expiresAt !== 'number' || !value.jwk) return undefined;
    return { jwk: publicMembers(value.jwk), expiresAt: value.expiresAt };
  } catch {
    return undefined;
  }
}

export interface UserKeyPublisherOptions {
  /** Lifetime of the user tokens signed with the key: the key stays published at least that long. */
  tokenExpiresInSeconds: number;
  /** How often the key's expiry is pushed forward; 5 minutes by default. */
  refreshIntervalMs?: number;
  /** Called when a periodic refresh fails (the next one tries again). */
  onError?: (err: unknown) => void;
  now?: () => number;
}

/**
 * Keeps this process's public key in the store while the process runs, and for long enough
 * afterwards that every token it signed can still be verified: each refresh publishes it until
 * `now + token lifetime + 2 refresh intervals`. Stopping does not remove the key.
 */
export class UserKeyPublisher {
  private timer?: NodeJS.Timeout;
  private readonly refreshIntervalMs: number;
  private readonly now: () => number;

  constructor(
    private readonly store: UserKeyStore,
    private readonly key: SigningKey,
    private readonly options: UserKeyPublisherOptions,
  ) {
    this.refreshIntervalMs = options.refreshIntervalMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Publishes the key now (fails if the store is unreachable) and then keeps it published. */
  async start(): Promise<void> {
    await this.publish();
    this.timer ??= setInterval(() => {
      this.publish().catch((err: unknown) => this.options.onError?.(err));
    }, this.refreshIntervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  publish(): Promise<void> {
    const expiresAt = this.now() + this.options.tokenExpiresInSeconds * 1000 + 2 * this.refreshIntervalMs;
    return this.store.addKey(this.key.publicJwk(), { expiresAt });
  }
}

export interface UserKeyResolverOptions {
  /** This process's own key: always resolvable, even when the store is unreachable. */
  ownKey?: SigningKey;
  /** How long a listing of the store is reused; 30 seconds by default. */
  cacheMs?: number;
  /** An unknown kid reloads the listing at most this often; 1 second by default. */
  cooldownMs?: number;
  now?: () => number;
}

/**
 * The gateway's user-token key resolver for its TokenVerifier (the plugins use the JWKS over
 * HTTP instead). Unknown kids throw jose's JWKSNoMatchingKey, like jose's own key sets.
 */
export function createUserKeyResolver(
  store: UserKeyStore,
  options: UserKeyResolverOptions = {},
): UserKeyResolver {
  const cacheMs = options.cacheMs ?? 30_000;
  const cooldownMs = options.cooldownMs ?? 1_000;
  const now = options.now ?? Date.now;
  const imported = new Map<string, Promise<CryptoKey>>();
  let listing: Map<string, PublicSigningJwk> | undefined;
  let loadedAt = -Infinity;
  let loading: Promise<Map<string, PublicSigningJwk>> | undefined;

  const load = (): Promise<Map<string, PublicSigningJwk>> => {
    loading ??= store
      .listKeys()
      .then((keys) => {
        listing = new Map(keys.map((k) => [k.kid, k]));
        loadedAt = now();
        return listing;
      })
      .finally(() => {
        loading = undefined;
      });
    return loading;
  };

  const importKey = (jwk: PublicSigningJwk): Promise<CryptoKey> => {
    let key = imported.get(jwk.kid);
    if (!key) {
      key = importJWK(jwk, 'ES256') as Promise<CryptoKey>;
      imported.set(jwk.kid, key);
      key.catch(() => imported.delete(jwk.kid));
    }
    return key;
  };

  return async (header: JWSHeaderParameters, _token: FlattenedJWSInput): Promise<CryptoKey> => {
    const kid = header.kid;
    if (typeof kid !== 'string' || header.alg !== 'ES256') throw new joseErrors.JWKSNoMatchingKey();
    if (options.ownKey && kid === options.ownKey.kid) return importKey(options.ownKey.publicJwk());

    let keys = listing && now() - loadedAt < cacheMs ? listing : await load();
    if (!keys.has(kid) && now() - loadedAt >= cooldownMs) keys = await load();
    const jwk = keys.get(kid);
    if (!jwk) throw new joseErrors.JWKSNoMatchingKey();
    return importKey(jwk);
  };
}
