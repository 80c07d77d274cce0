import { InputError, NotFoundError, type Logger, type PublicSigningJwk } from '@portal/platform';
import { guestProviderPolicy, type AuthSettings } from './auth-config.js';
import { resolveOwnership } from './ownership.js';
import type { UserCatalog } from './user-catalog.js';
import type { UserKeyPublisher, UserKeyStore } from './user-key-store.js';
import type { UserTokenIssuer } from './user-token-issuer.js';

/** Backstage's answer to `/api/auth/<provider>/refresh`. */
export interface AuthRefreshResponse {
  profile: { email?: string; displayName?: string; picture?: string };
  backstageIdentity: {
    token: string;
    expiresInSeconds: number;
    identity: { type: 'user'; userEntityRef: string; ownershipEntityRefs: string[] };
  };
}

export interface AuthServiceDeps {
  settings: AuthSettings;
  keyStore: UserKeyStore;
  issuer: UserTokenIssuer;
  /** Keeps this process's signing key in the key store; started at module init. */
  publisher?: UserKeyPublisher;
  /**
   * The catalog, to add the guest user's groups (transitively) when it has the guest user; without
   * it, or when it cannot answer, the guest gets the configured ownership refs only.
   */
  catalog?: UserCatalog;
  logger?: Logger;
}

/**
 * The gateway's auth logic: the JWKS and the sign-in providers (today the guest provider).
 * The guest policy is decided at construction: a refused guest provider never issues a token,
 * and `onModuleInit` makes the gateway refuse to start.
 */
export class AuthService {
  private readonly guestRefusal: string | undefined;

  constructor(private readonly deps: AuthServiceDeps) {
    const guest = deps.settings.guest;
    if (guest) {
      const decision = guestProviderPolicy({
        environment: deps.settings.environment,
        dangerouslyAllowOutsideDevelopment: guest.dangerouslyAllowOutsideDevelopment,
      });
      this.guestRefusal = decision.allowed ? undefined : decision.reason;
    }
  }

  /** Throws when the configuration must not run (the guest provider outside development). */
  assertStartable(): void {
    if (this.guestRefusal) throw new InputError(this.guestRefusal);
  }

  async onModuleInit(): Promise<void> {
    this.assertStartable();
    // Publish the key before the first token can be issued.
    await this.deps.publisher?.start();
  }

  onModuleDestroy(): void {
    this.deps.publisher?.stop();
  }

  async jwks(): Promise<{ keys: PublicSigningJwk[] }> {
    return { keys: await this.deps.keyStore.listKeys() };
  }

  async refresh(provider: string): Promise<AuthRefreshResponse> {
    const guest = this.deps.settings.guest;
    if (provider !== 'guest' || !guest || this.guestRefusal) {
      const name = /^[a-zA-Z0-9_-]{1,64}$/.test(provider) ? provider : '(invalid name)';
      throw new NotFoundError(`Unknown auth provider '${name}'`);
    }
    const identity = {
      userEntityRef: guest.userEntityRef,
      ownershipEntityRefs: await this.guestOwnership(guest.userEntityRef, guest.ownershipEntityRefs),
    };
    const token = await this.deps.issuer.issue(identity);
    return {
      profile: {},
      backstageIdentity: {
        token,
        expiresInSeconds: this.deps.issuer.expiresInSeconds,
        identity: { type: 'user', ...identity },
      },
    };
  }

  /** The configured refs, plus the guest user's groups when the catalog has the guest user. */
  private async guestOwnership(userEntityRef: string, configured: string[]): Promise<string[]> {
    const catalog = this.deps.catalog;
    if (!catalog) return [...configured];
    try {
      const [user] = await catalog.getByRefs([userEntityRef]);
      if (!user) return [...configured];
      const fromCatalog = await resolveOwnership(catalog, user);
      return [...new Set([...configured, ...fromCatalog])];
    } catch (err) {
      this.deps.logger?.warn(
        { err: (err as Error).message },
        'guest sign-in: the catalog did not answer; using the configured ownership refs',
      );
      return [...configured];
    }
  }
}
