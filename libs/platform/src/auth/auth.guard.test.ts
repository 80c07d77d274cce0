import 'reflect-metadata';
import { Metadata } from '@grpc/grpc-js';
import { Controller, Get } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { createLocalJWKSet } from 'jose';
import { AuthenticationError } from '../errors/errors.js';
import {
  AllowPrincipals,
  AuthGuard,
  CurrentPrincipal,
  principalFromMetadata,
  Unauthenticated,
  type AuthenticatedRequest,
} from './auth.guard.js';
import type { Principal } from './principal.js';
import { PublicKeyStore } from './public-key-store.js';
import { ServiceTokenIssuer } from './service-token-issuer.js';
import { SigningKey } from './signing-key.js';
import { TokenVerifier } from './token-verifier.js';

@Controller('things')
class ThingsController {
  @Get()
  list(@CurrentPrincipal() principal: Principal | undefined) {
    return principal;
  }

  @Get('open')
  @Unauthenticated()
  open() {
    return 'open';
  }

  @Get('users-only')
  @AllowPrincipals('user')
  usersOnly() {
    return 'users';
  }
}

@Controller('public')
@Unauthenticated()
class PublicController {
  @Get()
  index() {
    return 'public';
  }
}

let guard: AuthGuard;
let userKey: SigningKey;
let userToken: string;
let serviceToken: string;

beforeAll(async () => {
  userKey = await SigningKey.generate();
  const scaffolderKey = await SigningKey.generate();
  const serviceKeys = new PublicKeyStore();
  serviceKeys.set('scaffolder', 'i1', JSON.stringify(scaffolderKey.publicJwk()));
  const verifier = new TokenVerifier({
    pluginId: 'catalog',
    userKeys: createLocalJWKSet({ keys: [userKey.publicJwk()] }),
    serviceKeys,
  });
  guard = new AuthGuard(verifier, new Reflector());
  userToken = await userKey.sign(
    { sub: 'user:default/jane', ent: ['user:default/jane'], aud: 'backstage' },
    { typ: 'vnd.backstage.user', expiresInSeconds: 600 },
  );
  serviceToken = await new ServiceTokenIssuer('scaffolder', scaffolderKey).issue('catalog');
});

function httpContext(
  handler: (...args: never[]) => unknown,
  headers: Record<string, string> = {},
  controller: new () => object = ThingsController,
): { context: ExecutionContextHost; request: AuthenticatedRequest } {
  const request: AuthenticatedRequest = { headers };
  const context = new ExecutionContextHost([request, {}, () => undefined], controller as never, handler);
  context.setType('http');
  return { context, request };
}

function rpcContext(handler: (...args: never[]) => unknown, metadata: Metadata): ExecutionContextHost {
  const context = new ExecutionContextHost([{}, metadata, {}], ThingsController as never, handler);
  context.setType('rpc');
  return context;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

const proto = ThingsController.prototype;

describe('AuthGuard over HTTP', () => {
  it('attaches the verified principal to the request', async () => {
    const { context, request } = httpContext(proto.list, { authorization: `Bearer ${userToken}` });
    await expect(guard.canActivate(context)).resolves.toBe(true);
    expect(request.principal).toMatchObject({ type: 'user', userEntityRef: 'user:default/jane' });
  });

  it('refuses a request without credentials with "Missing credentials"', async () => {
    const err = await rejection(guard.canActivate(httpContext(proto.list).context));
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(err.message).toBe('Missing credentials');
  });

  it('refuses other schemes and invalid tokens', async () => {
    const basic = await rejection(
      guard.canActivate(httpContext(proto.list, { authorization: 'Basic dXNlcjpwYXNz' }).context),
    );
    expect(basic).toBeInstanceOf(AuthenticationError);
    expect(basic.message).toContain('expected a Bearer token');
    const tampered = userToken.slice(0, -4) + 'AAAA';
    const bad = await rejection(
      guard.canActivate(httpContext(proto.list, { authorization: `Bearer ${tampered}` }).context),
    );
    expect(bad).toBeInstanceOf(AuthenticationError);
  });

  it('lets @Unauthenticated() routes and controllers through without credentials', async () => {
    await expect(guard.canActivate(httpContext(proto.open).context)).resolves.toBe(true);
    await expect(
      guard.canActivate(httpContext(PublicController.prototype.index, {}, PublicController).context),
    ).resolves.toBe(true);
  });

  it('on @Unauthenticated() routes, attaches a valid principal and ignores a bad one', async () => {
    const good = httpContext(proto.open, { authorization: `Bearer ${userToken}` });
    await expect(guard.canActivate(good.context)).resolves.toBe(true);
    expect(good.request.principal).toMatchObject({ type: 'user' });
    const bad = httpContext(proto.open, { authorization: 'Bearer not-a-token' });
    await expect(guard.canActivate(bad.context)).resolves.toBe(true);
    expect(bad.request.principal).toBeUndefined();
  });

  it('applies @AllowPrincipals()', async () => {
    const err = await rejection(
      guard.canActivate(httpContext(proto.usersOnly, { authorization: `Bearer ${serviceToken}` }).context),
    );
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(err.message).toBe('Service tokens are not accepted here');
    await expect(
      guard.canActivate(httpContext(proto.usersOnly, { authorization: `Bearer ${userToken}` }).context),
    ).resolves.toBe(true);
  });
});

describe('AuthGuard over gRPC', () => {
  it('reads the authorization metadata and keeps the principal with the Metadata object', async () => {
    const metadata = new Metadata();
    metadata.set('authorization', `Bearer ${serviceToken}`);
    await expect(guard.canActivate(rpcContext(proto.list, metadata))).resolves.toBe(true);
    expect(principalFromMetadata(metadata)).toEqual({
      type: 'service',
      subject: 'plugin:scaffolder',
      pluginId: 'scaffolder',
    });
    expect(principalFromMetadata(new Metadata())).toBeUndefined();
  });

  it('refuses calls without credentials or with a bad token', async () => {
    const missing = await rejection(guard.canActivate(rpcContext(proto.list, new Metadata())));
    expect(missing).toBeInstanceOf(AuthenticationError);
    expect(missing.message).toBe('Missing credentials');
    const metadata = new Metadata();
    metadata.set('authorization', 'Bearer a.b.c');
    expect(await rejection(guard.canActivate(rpcContext(proto.list, metadata)))).toBeInstanceOf(
      AuthenticationError,
    );
    expect(principalFromMetadata(metadata)).toBeUndefined();
  });

  it('lets @Unauthenticated() calls through', async () => {
    await expect(guard.canActivate(rpcContext(proto.open, new Metadata()))).resolves.toBe(true);
  });
});

describe('@CurrentPrincipal()', () => {
  it('returns the principal of the HTTP request and of the gRPC call', async () => {
    const args = Reflect.getMetadata(ROUTE_ARGS_METADATA, ThingsController, 'list') as Record<
      string,
      { factory: (data: unknown, context: ExecutionContextHost) => unknown }
    >;
    const { factory } = Object.values(args)[0]!;

    const { context, request } = httpContext(proto.list, { authorization: `Bearer ${userToken}` });
    await guard.canActivate(context);
    expect(factory(undefined, context)).toBe(request.principal);

    const metadata = new Metadata();
    metadata.set('authorization', `Bearer ${serviceToken}`);
    const rpc = rpcContext(proto.list, metadata);
    await guard.canActivate(rpc);
    expect(factory(undefined, rpc)).toMatchObject({ type: 'service' });
  });
});
