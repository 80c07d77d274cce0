import { Module, type DynamicModule } from '@nestjs/common';
import {
  Config,
  LOGGER,
  SigningKey,
  TOKEN_VERIFIER,
  type Logger,
  type TokenVerifier,
} from '@portal/platform';
import { readAuthSettings, type AuthSettings } from './auth-config.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { EdgeAuth } from './edge-auth.js';
import { UserKeyPublisher, type UserKeyStore } from './user-key-store.js';
import { UserTokenIssuer } from './user-token-issuer.js';

export const USER_KEY_STORE = Symbol.for('portal.gateway.UserKeyStore');
/** The key this gateway process signs user tokens with (not its service-token key). */
export const USER_SIGNING_KEY = Symbol.for('portal.gateway.UserSigningKey');
export const AUTH_SETTINGS = Symbol.for('portal.gateway.AuthSettings');

export interface AuthModuleOptions {
  /** Memory for one gateway, Redis for several replicas. */
  keyStore: UserKeyStore;
  /**
   * The user-token signing key; generated at start when not given. Pass it when the gateway's
   * TokenVerifier resolves user keys with `createUserKeyResolver(keyStore, { ownKey })`.
   */
  signingKey?: SigningKey;
  /** How often the key's expiry in the store is extended; 5 minutes by default. */
  keyRefreshIntervalMs?: number;
}

/**
 * The gateway's auth: `GET /api/auth/.well-known/jwks.json`, `GET|POST /api/auth/:provider/refresh`
 * (guest), the user-token issuer and the edge check. Needs from the application (the platform's
 * global module provides them): `Config` (by class), `TOKEN_VERIFIER`, and optionally `LOGGER`.
 * Init fails when the guest provider may not run here, and publishes the signing key otherwise.
 */
@Module({})
export class AuthModule {
  static forRoot(options: AuthModuleOptions): DynamicModule {
    return {
      module: AuthModule,
      controllers: [AuthController],
      providers: [
        { provide: USER_KEY_STORE, useValue: options.keyStore },
        { provide: USER_SIGNING_KEY, useFactory: () => options.signingKey ?? SigningKey.generate() },
        {
          provide: AUTH_SETTINGS,
          useFactory: (config: Config) => readAuthSettings(config),
          inject: [Config],
        },
        {
          provide: UserTokenIssuer,
          useFactory: (key: SigningKey, settings: AuthSettings) =>
            new UserTokenIssuer(key, {
              issuer: settings.issuer,
              expiresInSeconds: settings.tokenExpiresInSeconds,
            }),
          inject: [USER_SIGNING_KEY, AUTH_SETTINGS],
        },
        {
          provide: AuthService,
          useFactory: (
            settings: AuthSettings,
            issuer: UserTokenIssuer,
            key: SigningKey,
            logger: Logger | undefined,
          ) =>
            new AuthService({
              settings,
              keyStore: options.keyStore,
              issuer,
              publisher: new UserKeyPublisher(options.keyStore, key, {
                tokenExpiresInSeconds: settings.tokenExpiresInSeconds,
                refreshIntervalMs: options.keyRefreshIntervalMs,
                onError: (err) =>
                  logger?.warn({ err }, 'could not refresh the user-token signing key in the key store'),
              }),
            }),
          inject: [AUTH_SETTINGS, UserTokenIssuer, USER_SIGNING_KEY, { token: LOGGER, optional: true }],
        },
        {
          provide: EdgeAuth,
          useFactory: (verifier: TokenVerifier) => new EdgeAuth(verifier),
          inject: [TOKEN_VERIFIER],
        },
      ],
      exports: [EdgeAuth, UserTokenIssuer, USER_KEY_STORE, USER_SIGNING_KEY, AUTH_SETTINGS],
    };
  }
}
