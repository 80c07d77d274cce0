import { ResponseError } from './response-error.js';

/** Who is signed in, and the token the portal's APIs take (Backstage's identity). */
export interface Identity {
  provider: string;
  userEntityRef: string;
  ownershipEntityRefs: string[];
  profile: { email?: string; displayName?: string; picture?: string };
  token: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/** The gateway's answer to `/api/auth/<provider>/refresh`. */
interface RefreshResponse {
  profile?: Identity['profile'];
  backstageIdentity: {
    token: string;
    expiresInSeconds?: number;
    identity: { userEntityRef: string; ownershipEntityRefs?: string[] };
  };
}

/** The part of the browser's localStorage the session uses. */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface AuthSessionOptions {
  /** The gateway's origin; the page's own by default. */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Remembers the provider across reloads (the session itself is the gateway's cookie). */
  storage?: KeyValueStorage;
  now?: () => number;
}

const PROVIDER_KEY = 'portal.auth.provider';
/** A token this close to its expiry is refreshed before use. */
const EXPIRY_MARGIN_MS = 30_000;

/**
 * The user's session with the gateway: signs in through a provider's refresh endpoint, keeps the
 * token fresh (before expiry, and when an API says 401), and signs out. Concurrent refreshes share
 * one request. Listeners hear every change, including the session ending.
 */
export class AuthSession {
  private current: Identity | undefined;
  private pending: Promise<Identity> | undefined;
  private readonly listeners = new Set<(identity: Identity | undefined) => void>();
  private readonly baseUrl: string;

  constructor(private readonly options: AuthSessionOptions = {}) {
    this.baseUrl = options.baseUrl ?? '';
  }

  get identity(): Identity | undefined {
    return this.current;
  }

  subscribe(listener: (identity: Identity | undefined) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The provider remembered from an earlier sign-in in this browser, if any. */
  get rememberedProvider(): string | undefined {
    return this.options.storage?.getItem(PROVIDER_KEY) ?? undefined;
  }

  /** Signs in with a provider whose session the gateway can refresh (guest, or oidc after its redirect). */
  async signIn(provider: string): Promise<Identity> {
    const identity = await this.fetchIdentity(provider);
    this.options.storage?.setItem(PROVIDER_KEY, provider);
    this.set(identity);
    return identity;
  }

  /** Picks up the session of an earlier sign-in; undefined (and forgotten) when it is gone. */
  async restore(): Promise<Identity | undefined> {
    const provider = this.rememberedProvider;
    if (!provider) return undefined;
    try {
      return await this.signIn(provider);
    } catch {
      this.options.storage?.removeItem(PROVIDER_KEY);
      return undefined;
    }
  }

  /** Remembers the provider before a redirect sign-in leaves the page. */
  rememberProvider(provider: string): void {
    this.options.storage?.setItem(PROVIDER_KEY, provider);
  }

  /** A valid token, refreshed when it is about to expire; undefined when nobody is signed in. */
  async getToken(): Promise<string | undefined> {
    const identity = this.current;
    if (!identity) return undefined;
    const now = this.options.now?.() ?? Date.now();
    if (identity.expiresAt - now > EXPIRY_MARGIN_MS) return identity.token;
    return (await this.refresh()).token;
  }

  /** Asks the provider for a new token; a refused refresh ends the session. */
  refresh(): Promise<Identity> {
    const provider = this.current?.provider ?? this.rememberedProvider;
    if (!provider) return Promise.reject(new ResponseError('Not signed in', 401, 'AuthenticationError'));
    this.pending ??= this.fetchIdentity(provider)
      .then((identity) => {
        this.set(identity);
        return identity;
      })
      .catch((err: unknown) => {
        if (err instanceof ResponseError && (err.status === 401 || err.status === 404)) this.end();
        throw err;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }

  async signOut(): Promise<void> {
    const provider = this.current?.provider;
    this.end();
    if (provider && provider !== 'guest') {
      await this.call(`/api/auth/${encodeURIComponent(provider)}/logout`, 'POST').catch(() => undefined);
    }
  }

  private end(): void {
    this.options.storage?.removeItem(PROVIDER_KEY);
    this.set(undefined);
  }

  private set(identity: Identity | undefined): void {
    this.current = identity;
    for (const listener of this.listeners) listener(identity);
  }

  private call(path: string, method: 'GET' | 'POST'): Promise<Response> {
    const doFetch = this.options.fetch ?? globalThis.fetch.bind(globalThis);
    return doFetch(`${this.baseUrl}${path}`, {
      method,
      credentials: 'include',
      // Backstage's CSRF guard on refresh and logout.
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    });
  }

  private async fetchIdentity(provider: string): Promise<Identity> {
    const res = await this.call(`/api/auth/${encodeURIComponent(provider)}/refresh`, 'GET');
    if (!res.ok) throw await ResponseError.fromResponse(res);
    const body = (await res.json()) as RefreshResponse;
    const { token, expiresInSeconds, identity } = body.backstageIdentity;
    const now = this.options.now?.() ?? Date.now();
    return {
      provider,
      userEntityRef: identity.userEntityRef,
      ownershipEntityRefs: identity.ownershipEntityRefs ?? [],
      profile: body.profile ?? {},
      token,
      expiresAt: now + (expiresInSeconds ?? 3600) * 1000,
    };
  }
}
