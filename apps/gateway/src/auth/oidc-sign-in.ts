import { randomBytes } from 'node:crypto';
import * as oidc from 'openid-client';
import {
  AuthenticationError,
  InputError,
  PortalError,
  ServiceUnavailableError,
  type Logger,
} from '@portal/platform';
import type { AuthStateStore } from './auth-state-store.js';
import { isLoopbackHost, type OidcEnvironmentSettings, type OidcSettings } from './sign-in-config.js';
import { checkOrigin, checkRedirectUrl } from './sign-in-http.js';
import { resolveSignIn, type ProviderIdentity } from './sign-in-resolvers.js';
import type { UserCatalog } from './user-catalog.js';
import type { UserTokenIssuer } from './user-token-issuer.js';

/** How long a started sign-in may take at the IdP. */
export const PENDING_SIGN_IN_SECONDS = 600;
/** Refresh the IdP access token when it expires within this many seconds. */
const ACCESS_TOKEN_MARGIN_SECONDS = 60;

export interface SignInProfile {
  email?: string;
  displayName?: string;
  picture?: string;
}

/** Backstage's answer of a sign-in provider (the handler's popup message and `/refresh`). */
export interface OidcSignInResponse {
  profile: SignInProfile;
  providerInfo?: { idToken?: string; accessToken: string; scope: string; expiresInSeconds?: number };
  backstageIdentity: {
    token: string;
    expiresInSeconds: number;
    identity: { type: 'user'; userEntityRef: string; ownershipEntityRefs: string[] };
  };
}

/** A started sign-in, kept server-side under its `state` until the IdP sends the browser back. */
export interface PendingSignIn {
  env: string;
  codeVerifier: string;
  nonce: string;
  flow: 'popup' | 'redirect';
  /** The popup's opener origin (allow-listed). */
  origin: string;
  /** Where the redirect flow returns to (allow-listed). */
  redirectUrl?: string;
}

/** A signed-in browser's session, under the id in its refresh cookie. */
interface Session {
  env: string;
  identity: ProviderIdentity;
  refreshToken?: string;
  idToken?: string;
  accessToken?: string;
  accessTokenExpiresAt?: number;
  scope: string;
  /** Epoch ms when the session ends, whatever refreshes happen. */
  expiresAt: number;
}

export interface OidcSignInDeps {
  settings: OidcSettings;
  issuer: UserTokenIssuer;
  store: AuthStateStore;
  catalog: UserCatalog;
  /** Allowed redirect origins (`app.baseUrl`'s and `auth.allowedRedirectOrigins`). */
  allowedOrigins: ReadonlySet<string>;
  /** The popup's origin when `/start` names none: `app.baseUrl`'s. */
  appOrigin: string;
  logger?: Logger;
  /** The IdP's configuration; discovery from `metadataUrl` by default (tests replace it). */
  discover?: (env: OidcEnvironmentSettings) => Promise<oidc.Configuration>;
  now?: () => number;
}

export interface StartRequest {
  env?: string;
  origin?: string;
  redirectUrl?: string;
  flow?: string;
}

export interface HandlerResult {
  pending: PendingSignIn;
  sessionId: string;
  sessionSeconds: number;
  response: OidcSignInResponse;
}

function randomId(): string {
  return randomBytes(32).toString('base64url');
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Discovery of the IdP from `metadataUrl` with openid-client; plain http only for loopback hosts. */
export async function discoverProvider(env: OidcEnvironmentSettings): Promise<oidc.Configuration> {
  const url = new URL(env.metadataUrl);
  const insecure = url.protocol === 'http:' && isLoopbackHost(url.hostname);
  const auth =
    env.tokenEndpointAuthMethod === 'client_secret_post'
      ? oidc.ClientSecretPost(env.clientSecret)
      : oidc.ClientSecretBasic(env.clientSecret);
  return oidc.discovery(url, env.clientId, { redirect_uris: [env.callbackUrl] }, auth, {
    timeout: 10,
    ...(insecure ? { execute: [oidc.allowInsecureRequests] } : {}),
  });
}

/**
 * The OpenID Connect sign-in provider: authorization code flow with PKCE (S256), state and nonce,
 * Backstage's routes and answers. The IdP's tokens stay server-side in the session; the browser
 * only holds an opaque session id in an HttpOnly cookie.
 */
export class OidcSignIn {
  private readonly configurations = new Map<string, Promise<oidc.Configuration>>();
  private readonly discover: (env: OidcEnvironmentSettings) => Promise<oidc.Configuration>;
  private readonly now: () => number;

  constructor(private readonly deps: OidcSignInDeps) {
    this.discover = deps.discover ?? discoverProvider;
    this.now = deps.now ?? Date.now;
  }

  private environment(name: string | undefined): OidcEnvironmentSettings {
    const env = name ?? this.deps.settings.defaultEnv;
    const settings = this.deps.settings.environments.get(env);
    if (!settings) {
      const shown = /^[a-zA-Z0-9_-]{1,64}$/.test(env) ? env : '(invalid)';
      throw new InputError(`No configuration available for the '${shown}' environment of this provider`);
    }
    return settings;
  }

  private configuration(env: OidcEnvironmentSettings): Promise<oidc.Configuration> {
    let config = this.configurations.get(env.env);
    if (!config) {
      config = this.discover(env).catch((err: unknown) => {
        this.configurations.delete(env.env);
        this.deps.logger?.warn({ err, env: env.env }, 'OIDC discovery failed');
        throw new ServiceUnavailableError('The OpenID provider is not reachable', err);
      });
      this.configurations.set(env.env, config);
    }
    return config;
  }

  /** `/start`: the IdP's authorization URL, and the state to bind to the browser in a cookie. */
  async start(request: StartRequest): Promise<{ url: string; state: string }> {
    const env = this.environment(request.env);
    const flow = request.flow === 'redirect' || (request.redirectUrl && !request.flow) ? 'redirect' : 'popup';
    if (request.flow !== undefined && request.flow !== 'popup' && request.flow !== 'redirect') {
      throw new InputError(`Invalid flow '${request.flow.slice(0, 20)}': expected popup or redirect`);
    }
    const origin = checkOrigin(request.origin ?? this.deps.appOrigin, this.deps.allowedOrigins);
    let redirectUrl: string | undefined;
    if (flow === 'redirect') {
      if (!request.redirectUrl) throw new InputError('The redirect flow needs a redirectUrl');
      redirectUrl = checkRedirectUrl(request.redirectUrl, this.deps.allowedOrigins).href;
    }
    const config = await this.configuration(env);
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const pending: PendingSignIn = { env: env.env, codeVerifier, nonce, flow, origin, redirectUrl };
    await this.deps.store.put(`pending:${state}`, pending, PENDING_SIGN_IN_SECONDS);
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: env.callbackUrl,
      scope: env.scope,
      state,
      nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      ...(env.prompt && env.prompt !== 'auto' ? { prompt: env.prompt } : {}),
    });
    return { url: url.href, state };
  }

  /**
   * The pending sign-in a callback belongs to: its `state` must be the one bound to this browser
   * (cookie) and still pending; each is used once.
   */
  async takePending(query: URLSearchParams, stateCookie: string | undefined): Promise<PendingSignIn> {
    const state = query.get('state');
    if (!state) throw new AuthenticationError('Authentication failed: missing state');
    const pending = await this.deps.store.take<PendingSignIn>(`pending:${state}`);
    if (!stateCookie || stateCookie !== state) {
      throw new AuthenticationError('Authentication failed: state mismatch');
    }
    if (!pending) {
      throw new AuthenticationError('Authentication failed: the sign-in expired or was already completed');
    }
    return pending;
  }

  /** `/handler/frame`: exchanges the code, verifies the ID token, resolves the user, opens a session. */
  async handle(query: URLSearchParams, pending: PendingSignIn): Promise<HandlerResult> {
    const env = this.environment(pending.env);
    const idpError = query.get('error');
    if (idpError) {
      const description = query.get('error_description');
      throw new AuthenticationError(
        `Authentication failed: ${idpError.slice(0, 100)}${description ? ` (${description.slice(0, 300)})` : ''}`,
      );
    }
    const config = await this.configuration(env);
    const callback = new URL(env.callbackUrl);
    for (const [k, v] of query) callback.searchParams.append(k, v);
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: query.get('state') ?? '',
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
    } catch (err) {
      throw this.providerError(err);
    }
    const claims = tokens.claims()!;
    const identity = await this.identityFrom(config, claims, tokens.access_token);
    const resolved = await resolveSignIn(env.resolvers, identity, this.deps.catalog);
    const session: Session = {
      env: env.env,
      identity,
      refreshToken: tokens.refresh_token,
      idToken: tokens.id_token,
      accessToken: tokens.access_token,
      accessTokenExpiresAt: this.expiry(tokens.expiresIn()),
      scope: tokens.scope ?? env.scope,
      expiresAt: this.now() + env.sessionDurationSeconds * 1000,
    };
    const sessionId = randomId();
    await this.deps.store.put(`session:${sessionId}`, session, env.sessionDurationSeconds);
    return {
      pending,
      sessionId,
      sessionSeconds: env.sessionDurationSeconds,
      response: await this.answer(session, resolved),
    };
  }

  /** `/refresh`: a fresh portal token for the session in the cookie, the user resolved again. */
  async refresh(sessionId: string | undefined): Promise<OidcSignInResponse> {
    if (!sessionId) throw new AuthenticationError('Refresh failed: missing session cookie');
    const key = `session:${sessionId}`;
    const session = await this.deps.store.get<Session>(key);
    if (!session || session.expiresAt <= this.now()) {
      throw new AuthenticationError('Refresh failed: the session expired or was signed out');
    }
    const env = this.environment(session.env);
    const stale =
      session.accessTokenExpiresAt !== undefined &&
      session.accessTokenExpiresAt - ACCESS_TOKEN_MARGIN_SECONDS * 1000 <= this.now();
    if (stale && session.refreshToken) {
      const config = await this.configuration(env);
      let tokens: Awaited<ReturnType<typeof oidc.refreshTokenGrant>>;
      try {
        tokens = await oidc.refreshTokenGrant(config, session.refreshToken);
      } catch (err) {
        await this.deps.store.delete(key);
        throw this.providerError(err, 'Refresh failed: the OpenID provider refused the session');
      }
      session.accessToken = tokens.access_token;
      session.accessTokenExpiresAt = this.expiry(tokens.expiresIn());
      session.refreshToken = tokens.refresh_token ?? session.refreshToken;
      session.idToken = tokens.id_token ?? session.idToken;
      if (tokens.scope) session.scope = tokens.scope;
      await this.deps.store.put(key, session, Math.max(1, (session.expiresAt - this.now()) / 1000));
    } else if (stale) {
      delete session.accessToken;
      delete session.accessTokenExpiresAt;
    }
    const resolved = await resolveSignIn(env.resolvers, session.identity, this.deps.catalog);
    return this.answer(session, resolved);
  }

  async logout(sessionId: string | undefined): Promise<void> {
    if (sessionId) await this.deps.store.delete(`session:${sessionId}`);
  }

  private expiry(expiresIn: number | undefined): number | undefined {
    return expiresIn === undefined ? undefined : this.now() + expiresIn * 1000;
  }

  private async identityFrom(
    config: oidc.Configuration,
    claims: oidc.IDToken,
    accessToken: string,
  ): Promise<ProviderIdentity> {
    let info: Record<string, unknown> = claims;
    if (!str(claims.email) && config.serverMetadata().userinfo_endpoint) {
      try {
        info = { ...(await oidc.fetchUserInfo(config, accessToken, claims.sub)), ...claims };
      } catch (err) {
        this.deps.logger?.warn({ err }, 'OIDC userinfo failed; signing in with the ID token claims');
      }
    }
    return {
      subject: claims.sub,
      email: str(info.email),
      emailVerified: typeof info.email_verified === 'boolean' ? info.email_verified : undefined,
      displayName: str(info.name) ?? str(info.preferred_username),
      picture: str(info.picture),
    };
  }

  private async answer(
    session: Session,
    resolved: { userEntityRef: string; ownershipEntityRefs: string[] },
  ): Promise<OidcSignInResponse> {
    const token = await this.deps.issuer.issue(resolved);
    const { email, displayName, picture } = session.identity;
    const profile: SignInProfile = {
      ...(email ? { email } : {}),
      ...(displayName ? { displayName } : {}),
      ...(picture ? { picture } : {}),
    };
    return {
      profile,
      ...(session.accessToken
        ? {
            providerInfo: {
              ...(session.idToken ? { idToken: session.idToken } : {}),
              accessToken: session.accessToken,
              scope: session.scope,
              ...(session.accessTokenExpiresAt !== undefined
                ? {
                    expiresInSeconds: Math.max(
                      0,
                      Math.floor((session.accessTokenExpiresAt - this.now()) / 1000),
                    ),
                  }
                : {}),
            },
          }
        : {}),
      backstageIdentity: {
        token,
        expiresInSeconds: this.deps.issuer.expiresInSeconds,
        identity: { type: 'user', ...resolved },
      },
    };
  }

  /** The IdP refused or answered badly: 401 with its reason (never its whole response). */
  private providerError(err: unknown, prefix = 'Authentication failed'): PortalError {
    if (err instanceof PortalError) return err;
    if (err instanceof oidc.ResponseBodyError) {
      return new AuthenticationError(
        `${prefix}: ${err.error}${err.error_description ? ` (${err.error_description})` : ''}`,
        err,
      );
    }
    if (err instanceof oidc.AuthorizationResponseError) {
      return new AuthenticationError(`${prefix}: ${err.error}`, err);
    }
    if (err instanceof TypeError && /fetch failed/i.test(err.message)) {
      return new ServiceUnavailableError('The OpenID provider is not reachable', err);
    }
    // A claim check failed (nonce, iss, aud, …): say which, never the values.
    type Nested = { cause?: Nested; claim?: unknown };
    const cause = (err as Nested).cause;
    const claim = cause?.claim ?? cause?.cause?.claim;
    if (typeof claim === 'string' && /^[a-z_]{1,30}$/.test(claim)) {
      return new AuthenticationError(`${prefix}: the ID token's '${claim}' claim does not match`, err);
    }
    const message = err instanceof Error ? err.message : 'unexpected response';
    return new AuthenticationError(`${prefix}: ${message.slice(0, 200)}`, err);
  }
}
