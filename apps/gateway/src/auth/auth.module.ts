import {
  Inject,
  Module,
  type DynamicModule,
  type InjectionToken,
  type MiddlewareConsumer,
  type NestModule,
  type OnApplicationShutdown,
  type Type,
} from '@nestjs/common';
import cookieParser from 'cookie-parser';
import { Redis } from 'ioredis';
import {
  Config,
  LOGGER,
  SigningKey,
  TOKEN_VERIFIER,
  type GrpcClients,
  type Logger,
  type TokenVerifier,
} from '@portal/platform';
import { gatewayRedis } from '../gateway-config.js';
import { readAuthSettings, type AuthSettings } from './auth-config.js';
import { MemoryAuthStateStore, RedisAuthStateStore, type AuthStateStore } from './auth-state-store.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { EdgeAuth } from './edge-auth.js';
import { OIDC_SIGN_IN, OidcController, SIGN_IN_HTTP, type SignInHttpSettings } from './oidc.controller.js';
import { OidcSignIn } from './oidc-sign-in.js';
import { GrpcUserCatalog, type UserCatalog } from './user-catalog.js';
import { UserKeyPublisher, type UserKeyStore } from './user-key-store.js';
import { UserTokenIssuer } from './user-token-issuer.js';

export const USER_KEY_STORE = Symbol.for('portal.gateway.UserKeyStore');
/** The key this gateway process signs user tokens with (not its service-token key). */
export const USER_SIGNING_KEY = Symbol.for('portal.gateway.UserSigningKey');
export const AUTH_SETTINGS = Symbol.for('portal.gateway.AuthSettings');
/** Pending sign-ins and refresh sessions (memory, or Redis shared by the replicas). */
export const AUTH_STATE_STORE = Symbol.for('portal.gateway.AuthStateStore');
const USER_CATALOGS = Symbol.for('portal.gateway.UserCatalogs');

interface UserCatalogs {
  /** For sign-in: a catalog failure is a 503. */
  signIn?: UserCatalog;
  /** For the guest: short deadline, no retries (the guest works without the catalog). */
  guest?: UserCatalog;
}

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
  /**
   * gRPC clients that reach the catalog as the gateway (sign-in resolvers and ownership), built
   * from the given providers; without it, sign-in resolvers cannot run and the guest gets its
   * configured ownership refs only.
   */
  catalogClients?: {
    imports?: Array<Type<unknown> | DynamicModule>;
    inject?: InjectionToken[];
    useFactory: (...deps: never[]) => GrpcClients;
  };
  /** Sign-in state; memory or Redis from the gateway's config by default. */
  stateStore?: AuthStateStore;
}

function createStateStore(config: Config, logger: Logger | undefined): AuthStateStore {
  const redisConfig = gatewayRedis(config);
  if (!redisConfig) return new MemoryAuthStateStore();
  const redis = new Redis(redisConfig.connection, { maxRetriesPerRequest: 2, connectTimeout: 2000 });
  redis.on('error', (err: Error) => logger?.warn({ err: err.message }, 'auth state store Redis error'));
  return new RedisAuthStateStore(redis, { prefix: redisConfig.prefix });
}

/**
 * The gateway's auth: `GET /api/auth/.well-known/jwks.json`, `GET|POST /api/auth/:provider/refresh`
 * (guest), the user-token issuer and the edge check. Needs from the application (the platform's
 * global module provides them): `Config` (by class), `TOKEN_VERIFIER`, and optionally `LOGGER`.
 * Init fails when the guest provider may not run here, and publishes the signing key otherwise.
 */
@Module({})
export class AuthModule implements NestModule, OnApplicationShutdown {
  constructor(@Inject(AUTH_STATE_STORE) private readonly stateStore: AuthStateStore) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(cookieParser()).forRoutes(OidcController);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stateStore.close?.();
  }

  static forRoot(options: AuthModuleOptions): DynamicModule {
    const catalogClients = options.catalogClients;
    return {
      module: AuthModule,
      imports: catalogClients?.imports ?? [],
      // The oidc routes first: `/api/auth/oidc/refresh` is not the generic `:provider/refresh`.
      controllers: [OidcController, AuthController],
      providers: [
        {
          provide: USER_CATALOGS,
          useFactory: (...deps: never[]): UserCatalogs => {
            if (!catalogClients) return {};
            const clients = catalogClients.useFactory(...deps);
            return {
              signIn: new GrpcUserCatalog(clients, { deadlineMs: 5000, attempts: 3 }),
              guest: new GrpcUserCatalog(clients, { deadlineMs: 1500, attempts: 1 }),
            };
          },
          inject: catalogClients?.inject ?? [],
        },
        {
          provide: AUTH_STATE_STORE,
          useFactory: (config: Config, logger: Logger | undefined) =>
            options.stateStore ?? createStateStore(config, logger),
          inject: [Config, { token: LOGGER, optional: true }],
        },
        {
          provide: SIGN_IN_HTTP,
          useFactory: (settings: AuthSettings, logger: Logger | undefined): SignInHttpSettings => ({
            baseUrl: settings.baseUrl,
            logger,
          }),
          inject: [AUTH_SETTINGS, { token: LOGGER, optional: true }],
        },
        {
          provide: OIDC_SIGN_IN,
          useFactory: (
            settings: AuthSettings,
            issuer: UserTokenIssuer,
            store: AuthStateStore,
            catalogs: UserCatalogs,
            logger: Logger | undefined,
          ) => {
            if (!settings.oidc) return undefined;
            if (!catalogs.signIn) {
              throw new Error('auth.providers.oidc needs the catalog: the gateway has no catalog client');
            }
            return new OidcSignIn({
              settings: settings.oidc,
              issuer,
              store,
              catalog: catalogs.signIn,
              allowedOrigins: settings.allowedRedirectOrigins,
              appOrigin: settings.appOrigin,
              logger,
            });
          },
          inject: [
            AUTH_SETTINGS,
            UserTokenIssuer,
            AUTH_STATE_STORE,
            USER_CATALOGS,
            { token: LOGGER, optional: true },
          ],
        },
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
            catalogs: UserCatalogs,
            logger: Logger | undefined,
          ) =>
            new AuthService({
              settings,
              keyStore: options.keyStore,
              issuer,
              catalog: catalogs.guest,
              logger,
              publisher: new UserKeyPublisher(options.keyStore, key, {
                tokenExpiresInSeconds: settings.tokenExpiresInSeconds,
                refreshIntervalMs: options.keyRefreshIntervalMs,
                onError: (err) =>
                  logger?.warn({ err }, 'could not refresh the user-token signing key in the key store'),
              }),
            }),
          inject: [
            AUTH_SETTINGS,
            UserTokenIssuer,
            USER_SIGNING_KEY,
            USER_CATALOGS,
            { token: LOGGER, optional: true },
          ],
        },
        {
          provide: EdgeAuth,
          useFactory: (verifier: TokenVerifier) => new EdgeAuth(verifier),
          inject: [TOKEN_VERIFIER],
        },
      ],
      exports: [EdgeAuth, UserTokenIssuer, USER_KEY_STORE, USER_SIGNING_KEY, AUTH_SETTINGS, AUTH_STATE_STORE],
    };
  }
}
