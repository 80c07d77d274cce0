import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { Global, Module, type INestApplication } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, NestFactory, Reflector } from '@nestjs/core';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader } from 'jose';
import {
  AuthGuard,
  Config,
  createLogger,
  PortalExceptionFilter,
  PublicKeyStore,
  SigningKey,
  TOKEN_VERIFIER,
  TokenVerifier,
  type JsonObject,
} from '@portal/platform';
import { AuthModule } from './auth.module.js';
import { MemoryUserKeyStore, createUserKeyResolver, type UserKeyStore } from './user-key-store.js';

interface TestGateway {
  app: INestApplication;
  baseUrl: string;
  keyStore: UserKeyStore;
  signingKey: SigningKey;
}

const running: INestApplication[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((app) => app.close()));
});

/** A gateway with the platform pieces AuthModule expects from the application (Config, TOKEN_VERIFIER). */
async function startGateway(configData: JsonObject): Promise<TestGateway> {
  const config = Config.fromObject(configData);
  const keyStore = new MemoryUserKeyStore();
  const signingKey = await SigningKey.generate();
  const verifier = new TokenVerifier({
    pluginId: 'gateway',
    userKeys: createUserKeyResolver(keyStore, { ownKey: signingKey }),
    serviceKeys: new PublicKeyStore(),
  });
  const logger = createLogger({ service: 'gateway-test', level: 'silent' });

  @Global()
  @Module({
    providers: [
      { provide: Config, useValue: config },
      { provide: TOKEN_VERIFIER, useValue: verifier },
    ],
    exports: [Config, TOKEN_VERIFIER],
  })
  class TestPlatformModule {}

  @Module({
    imports: [TestPlatformModule, AuthModule.forRoot({ keyStore, signingKey })],
    providers: [
      { provide: APP_FILTER, useFactory: () => new PortalExceptionFilter(logger) },
      {
        provide: APP_GUARD,
        useFactory: (reflector: Reflector) => new AuthGuard(verifier, reflector),
        inject: [Reflector],
      },
    ],
  })
  class TestGatewayModule {}

  const app = await NestFactory.create(TestGatewayModule, { logger: false, abortOnError: false });
  running.push(app);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, baseUrl: `http://127.0.0.1:${port}`, keyStore, signingKey };
}

const devGuest: JsonObject = {
  backend: { baseUrl: 'http://localhost:7007' },
  portal: { environment: 'development' },
  auth: { providers: { guest: {} } },
};

describe('AuthController', () => {
  it('publishes its signing key at start and serves it as the JWKS, without credentials', async () => {
    const gw = await startGateway(devGuest);
    const res = await fetch(`${gw.baseUrl}/api/auth/.well-known/jwks.json`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ keys: [gw.signingKey.publicJwk()] });
  });

  it.each(['GET', 'POST'])('issues a guest identity on %s /api/auth/guest/refresh', async (method) => {
    const gw = await startGateway(devGuest);
    const res = await fetch(`${gw.baseUrl}/api/auth/guest/refresh`, { method });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as { backstageIdentity: { token: string } };
    expect(body).toEqual({
      profile: {},
      backstageIdentity: {
        token: expect.any(String),
        expiresInSeconds: 3600,
        identity: {
          type: 'user',
          userEntityRef: 'user:development/guest',
          ownershipEntityRefs: ['user:development/guest'],
        },
      },
    });
    const token = body.backstageIdentity.token;
    expect(decodeProtectedHeader(token)).toEqual({
      alg: 'ES256',
      kid: gw.signingKey.kid,
      typ: 'vnd.backstage.user',
    });
    expect(decodeJwt(token)).toMatchObject({
      iss: 'http://localhost:7007/api/auth',
      sub: 'user:development/guest',
      ent: ['user:development/guest'],
      aud: 'backstage',
    });
  });

  it('issues tokens a plugin verifies against the JWKS over HTTP', async () => {
    const gw = await startGateway(devGuest);
    const body = (await (await fetch(`${gw.baseUrl}/api/auth/guest/refresh`)).json()) as {
      backstageIdentity: { token: string };
    };
    const plugin = new TokenVerifier({
      pluginId: 'catalog',
      userKeys: createRemoteJWKSet(new URL(`${gw.baseUrl}/api/auth/.well-known/jwks.json`)),
      issuer: 'http://localhost:7007/api/auth',
      serviceKeys: new PublicKeyStore(),
    });
    expect(await plugin.verify(body.backstageIdentity.token)).toMatchObject({
      type: 'user',
      userEntityRef: 'user:development/guest',
    });
  });

  it('uses the configured guest identity', async () => {
    const gw = await startGateway({
      portal: { environment: 'development' },
      auth: {
        providers: {
          guest: {
            userEntityRef: 'user:default/guest',
            ownershipEntityRefs: ['user:default/guest', 'group:default/guests'],
          },
        },
      },
    });
    const body = (await (await fetch(`${gw.baseUrl}/api/auth/guest/refresh`, { method: 'POST' })).json()) as {
      backstageIdentity: { token: string; identity: unknown };
    };
    expect(body.backstageIdentity.identity).toEqual({
      type: 'user',
      userEntityRef: 'user:default/guest',
      ownershipEntityRefs: ['user:default/guest', 'group:default/guests'],
    });
    expect(decodeJwt(body.backstageIdentity.token).ent).toEqual([
      'user:default/guest',
      'group:default/guests',
    ]);
  });

  it("answers 404 Unknown auth provider 'guest' when the provider is not configured", async () => {
    const gw = await startGateway({ portal: { environment: 'development' } });
    for (const method of ['GET', 'POST']) {
      const res = await fetch(`${gw.baseUrl}/api/auth/guest/refresh`, { method });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({
        error: { name: 'NotFoundError', message: "Unknown auth provider 'guest'" },
        request: { method, url: '/api/auth/guest/refresh' },
        response: { statusCode: 404 },
      });
    }
    const other = await fetch(`${gw.baseUrl}/api/auth/github/refresh`);
    expect(other.status).toBe(404);
    expect(((await other.json()) as { error: { message: string } }).error.message).toBe(
      "Unknown auth provider 'github'",
    );
  });

  it('answers 404 on every oidc route when auth.providers.oidc is not configured', async () => {
    const gw = await startGateway(devGuest);
    for (const [method, path] of [
      ['GET', 'start?env=development'],
      ['GET', 'handler/frame?state=x&code=y'],
      ['GET', 'refresh'],
      ['POST', 'refresh'],
      ['POST', 'logout'],
    ] as const) {
      const res = await fetch(`${gw.baseUrl}/api/auth/oidc/${path}`, {
        method,
        headers: { 'x-requested-with': 'XMLHttpRequest' },
      });
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
        "Unknown auth provider 'oidc'",
      );
    }
  });

  it('refuses to start with oidc configured but no catalog client', async () => {
    const err = await startGateway({
      ...devGuest,
      auth: {
        providers: {
          oidc: {
            metadataUrl: 'https://idp.example.com',
            clientId: 'c',
            clientSecret: 's',
            signIn: { resolvers: [{ resolver: 'emailMatchingUserEntityProfileEmail' }] },
          },
        },
      },
    }).catch((e: unknown) => e);
    expect(String(err)).toMatch(/auth.providers.oidc needs the catalog/);
  });

  it('refuses to start with the guest provider in production', async () => {
    const err = await startGateway({
      portal: { environment: 'production' },
      auth: { providers: { guest: {} } },
    }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err).toBeInstanceOf(Error);
    expect(err!.message).toContain('auth.providers.guest.dangerouslyAllowOutsideDevelopment');
  });

  it('starts with the guest provider in production when dangerouslyAllowOutsideDevelopment is set', async () => {
    const gw = await startGateway({
      portal: { environment: 'production' },
      auth: { providers: { guest: { dangerouslyAllowOutsideDevelopment: true } } },
    });
    expect((await fetch(`${gw.baseUrl}/api/auth/guest/refresh`)).status).toBe(200);
  });
});
