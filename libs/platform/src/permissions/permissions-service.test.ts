import pino from 'pino';
import type { Principal, UserPrincipal } from '../auth/principal.js';
import { ServiceTokenIssuer } from '../auth/service-token-issuer.js';
import { SigningKey } from '../auth/signing-key.js';
import { ServiceUnavailableError } from '../errors/errors.js';
import { GrpcClients } from '../grpc/grpc-clients.js';
import { PermissionsService } from './permissions-service.js';
import { AuthorizeResult, createPermission } from './types.js';

const read = createPermission({
  name: 'catalog.entity.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});
const create = createPermission({ name: 'catalog.entity.create', attributes: { action: 'create' } });
const logger = pino({ level: 'silent' });

async function userPrincipal(): Promise<UserPrincipal> {
  const key = await SigningKey.generate();
  const token = await key.sign(
    { sub: 'user:default/jane', ent: ['user:default/jane'], aud: 'backstage' },
    { typ: 'vnd.backstage.user', expiresInSeconds: 3600 },
  );
  return {
    type: 'user',
    userEntityRef: 'user:default/jane',
    ownershipEntityRefs: ['user:default/jane'],
    token,
  };
}

type Unary = GrpcClients['unary'];

function fakeClients(
  answer: (request: { items: Array<{ id: string; permissionJson: string; resourceRef: string }> }) => unknown,
) {
  const calls: Array<{ request: unknown; obo?: string }> = [];
  const unary = (async (
    _plugin: string,
    _ctor: unknown,
    _m: unknown,
    request: never,
    settings: { onBehalfOf?: string },
  ) => {
    calls.push({ request, obo: settings.onBehalfOf });
    return answer(request);
  }) as unknown as Unary;
  return { clients: { unary }, calls };
}

describe('PermissionsService', () => {
  let user: UserPrincipal;
  beforeAll(async () => {
    user = await userPrincipal();
  });

  it('allows everything without a call when permissions are disabled', async () => {
    const { clients, calls } = fakeClients(() => {
      throw new Error('no call expected');
    });
    const service = new PermissionsService({ enabled: false, grpcClients: clients });
    expect(await service.authorizeConditional([{ permission: read }, { permission: create }], user)).toEqual([
      { result: 'ALLOW' },
      { result: 'ALLOW' },
    ]);
    expect(calls).toHaveLength(0);
  });

  it("asks for a user with the user's token as obo, and memoises per principal", async () => {
    const conditions = {
      rule: 'IS_ENTITY_OWNER',
      resourceType: 'catalog-entity',
      params: { claims: ['group:default/a'] },
    };
    const { clients, calls } = fakeClients((request) => ({
      items: request.items.map((item) =>
        JSON.parse(item.permissionJson).name === read.name
          ? {
              id: item.id,
              result: 'CONDITIONAL',
              pluginId: 'catalog',
              resourceType: 'catalog-entity',
              conditionsJson: JSON.stringify(conditions),
            }
          : { id: item.id, result: 'DENY' },
      ),
    }));
    const service = new PermissionsService({ enabled: true, grpcClients: clients });
    const first = await service.authorizeConditional([{ permission: read }, { permission: create }], user);
    expect(first).toEqual([
      {
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'catalog',
        resourceType: 'catalog-entity',
        conditions,
      },
      { result: AuthorizeResult.DENY },
    ]);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.obo).toBe(user.token);
    await service.authorizeConditional([{ permission: read }], user);
    expect(calls).toHaveLength(1);
    // Another request (another principal object) asks again.
    await service.authorizeConditional([{ permission: read }], { ...user });
    expect(calls).toHaveLength(2);
  });

  it('treats a service with obo as its user, and allows services without obo and external tokens', async () => {
    const { clients, calls } = fakeClients((request) => ({
      items: request.items.map((i) => ({ id: i.id, result: 'DENY' })),
    }));
    const service = new PermissionsService({ enabled: true, grpcClients: clients });
    const viaService: Principal = {
      type: 'service',
      subject: 'plugin:search',
      pluginId: 'search',
      onBehalfOf: user,
    };
    expect(await service.authorize([{ permission: create }], viaService)).toEqual([{ result: 'DENY' }]);
    expect(calls[0]!.obo).toBe(user.token);
    const plain: Principal = { type: 'service', subject: 'plugin:search', pluginId: 'search' };
    const external: Principal = { type: 'external', subject: 'external:ci' };
    expect(await service.authorize([{ permission: create }], plain)).toEqual([{ result: 'ALLOW' }]);
    expect(await service.authorize([{ permission: create }], external)).toEqual([{ result: 'ALLOW' }]);
    expect(await service.authorize([{ permission: create }], undefined)).toEqual([{ result: 'DENY' }]);
    expect(calls).toHaveLength(1);
  });

  it.each([
    ['missing decisions', () => ({ items: [] })],
    [
      'an unknown result',
      (r: { items: Array<{ id: string }> }) => ({
        items: r.items.map((i) => ({ id: i.id, result: 'MAYBE' })),
      }),
    ],
    [
      'bad conditions',
      (r: { items: Array<{ id: string }> }) => ({
        items: r.items.map((i) => ({
          id: i.id,
          result: 'CONDITIONAL',
          resourceType: 'catalog-entity',
          conditionsJson: '{"allOf":[]}',
        })),
      }),
    ],
    [
      'conditions of another type',
      (r: { items: Array<{ id: string }> }) => ({
        items: r.items.map((i) => ({
          id: i.id,
          result: 'CONDITIONAL',
          resourceType: 'x',
          conditionsJson: '{"rule":"R","resourceType":"x"}',
        })),
      }),
    ],
  ])('fails closed on %s', async (_what, answer) => {
    const { clients } = fakeClients(answer as never);
    const service = new PermissionsService({ enabled: true, grpcClients: clients });
    await expect(service.authorizeConditional([{ permission: read }], user)).rejects.toBeInstanceOf(
      ServiceUnavailableError,
    );
  });

  it('fails closed with a ServiceUnavailableError when the permission service is unreachable', async () => {
    const key = await SigningKey.generate();
    const clients = new GrpcClients(
      { resolveGrpc: () => '127.0.0.1:1' },
      new ServiceTokenIssuer('catalog', key),
      logger,
    );
    const service = new PermissionsService({
      enabled: true,
      grpcClients: clients,
      attempts: 2,
      deadlineMs: 1000,
    });
    try {
      const started = Date.now();
      await expect(service.authorizeConditional([{ permission: read }], user)).rejects.toMatchObject({
        name: 'ServiceUnavailableError',
      });
      expect(Date.now() - started).toBeLessThan(5000);
      // Nothing failed is remembered: the next call tries again (and fails again).
      await expect(service.authorize([{ permission: create }], user)).rejects.toBeInstanceOf(
        ServiceUnavailableError,
      );
    } finally {
      clients.close();
    }
  });

  it('fails closed when no permission service is registered', async () => {
    const key = await SigningKey.generate();
    const clients = new GrpcClients(
      { resolveGrpc: () => undefined },
      new ServiceTokenIssuer('catalog', key),
      logger,
    );
    const service = new PermissionsService({ enabled: true, grpcClients: clients });
    await expect(service.authorize([{ permission: create }], user)).rejects.toBeInstanceOf(
      ServiceUnavailableError,
    );
  });
});
