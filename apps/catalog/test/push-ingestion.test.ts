/**
 * Push ingestion through real processes: `POST /api/catalog/push/{provider}` through the gateway
 * and gRPC ApplyMutation on the catalog, with full and delta mutations, idempotency, removal, the
 * provider's access list (403), authentication (401), validation (400) and limits (413). Pushed
 * entities are read back with Backstage's CatalogClient once processed and stitched.
 */
import { CatalogClient } from '@backstage/catalog-client';
import { credentials, Metadata, type ServiceError } from '@grpc/grpc-js';
import { catalogV1 } from '@portal/proto';
import type { Entity } from '@portal/catalog-model';
import {
  dropTestDatabases,
  getJson,
  PortalProcess,
  portalTestEnv,
  testDatabasePrefix,
  waitFor,
} from '../../../test/support/portal-process.js';

const prefix = testDatabasePrefix();
const ciToken = 'push-test-ci-token-0123456789abcdef';
const otherToken = 'push-test-other-token-0123456789abc';

const component = (name: string, owner = 'team-a'): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name },
  spec: { type: 'service', lifecycle: 'production', owner },
});

describe('push ingestion over REST and gRPC', () => {
  let gateway: PortalProcess;
  let catalog: PortalProcess;
  let client: CatalogClient;
  let grpc: catalogV1.CatalogServiceClient;

  beforeAll(async () => {
    const { env, gatewayPorts } = await portalTestEnv({
      prefix,
      overrides: {
        APP_CONFIG_backend_auth_externalAccess: JSON.stringify([
          { type: 'static', options: { token: ciToken, subject: 'ci' } },
          { type: 'static', options: { token: otherToken, subject: 'other' } },
        ]),
        APP_CONFIG_catalog_providers_push: JSON.stringify([
          { name: 'ci', allow: ['ci'] },
          { name: 'small', allow: ['external:ci'], maxEntities: 2 },
        ]),
        APP_CONFIG_catalog_processing_pollingInterval: JSON.stringify({ milliseconds: 100 }),
        APP_CONFIG_catalog_stitchingStrategy: JSON.stringify({
          settleTime: { milliseconds: 50 },
          bulkSettleTime: { milliseconds: 100 },
          pollingInterval: { milliseconds: 100 },
        }),
      },
    });
    gateway = await PortalProcess.start('gateway', env, gatewayPorts);
    catalog = await PortalProcess.start('catalog', env);
    await waitFor(
      'catalog ready',
      async () => (await getJson(`${gateway.url}/api/catalog/.backstage/health/v1/readiness`)).status === 200,
      60_000,
    );
    client = new CatalogClient({
      discoveryApi: { getBaseUrl: async (pluginId: string) => `${gateway.url}/api/${pluginId}` },
      fetchApi: { fetch: (input, init) => fetch(input, init) },
    });
    grpc = new catalogV1.CatalogServiceClient(`127.0.0.1:${catalog.grpcPort}`, credentials.createInsecure());
  }, 90_000);

  afterAll(async () => {
    grpc?.close();
    await Promise.all([gateway?.stop(), catalog?.stop()]);
    await dropTestDatabases(prefix);
  });

  const push = (provider: string, body: unknown, token: string | null = ciToken) =>
    getJson(`${gateway.url}/api/catalog/push/${provider}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });

  const applyMutation = (
    request: Partial<catalogV1.ApplyMutationRequest>,
    token: string | null = ciToken,
  ) => {
    const md = new Metadata();
    if (token) md.set('authorization', `Bearer ${token}`);
    return new Promise<catalogV1.ApplyMutationResponse>((resolve, reject) =>
      grpc.applyMutation(
        catalogV1.ApplyMutationRequest.fromPartial(request),
        md,
        (e: ServiceError | null, r) => (e ? reject(e) : resolve(r)),
      ),
    );
  };
  const asItem = (entity: unknown, locationKey = '') => ({
    json: Buffer.from(JSON.stringify(entity)),
    locationKey,
  });

  const served = (ref: string) => client.getEntityByRef(ref, { token: ciToken });
  const names = async () =>
    (await client.getEntities({ filter: { kind: 'component' } }, { token: ciToken })).items
      .map((e) => e.metadata.name)
      .sort();

  it('applies a full mutation over REST; the same mutation again changes nothing', async () => {
    const body = { type: 'full', entities: ['a', 'b', 'c'].map((n) => ({ entity: component(n) })) };
    const first = await push('ci', body);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ added: 3, updated: 0, deleted: 0, conflicts: [] });
    await waitFor('a, b and c served', async () => (await names()).join() === 'a,b,c', 20_000);
    const entity = await served('component:default/a');
    expect(entity?.relations).toEqual(
      expect.arrayContaining([{ type: 'ownedBy', targetRef: 'group:default/team-a' }]),
    );

    const second = await push('ci', body);
    expect(second.body).toEqual({ added: 0, updated: 0, deleted: 0, conflicts: [] });
  });

  it('applies a delta over REST: adds, updates and removes (removal deletes)', async () => {
    const body = {
      type: 'delta',
      entities: [{ entity: component('d') }, { entity: component('b', 'team-b') }],
      removed: [{ entityRef: 'component:default/a' }],
    };
    expect((await push('ci', body)).body).toEqual({ added: 1, updated: 1, deleted: 1, conflicts: [] });
    await waitFor(
      'a removed, d added, b updated',
      async () =>
        (await names()).join() === 'b,c,d' && (await served('component:default/b'))?.spec?.owner === 'team-b',
      20_000,
    );
    expect(await served('component:default/a')).toBeUndefined();
    expect((await push('ci', body)).body).toEqual({ added: 0, updated: 0, deleted: 0, conflicts: [] });
  });

  it('applies full and delta mutations over gRPC ApplyMutation, idempotently', async () => {
    const full = {
      provider: 'ci',
      type: 'full',
      entities: [asItem(component('b', 'team-b')), asItem(component('e'))],
    };
    expect(await applyMutation(full)).toEqual({ added: 1, updated: 0, deleted: 2, conflicts: [] });
    expect(await applyMutation(full)).toEqual({ added: 0, updated: 0, deleted: 0, conflicts: [] });
    await waitFor('b and e served', async () => (await names()).join() === 'b,e', 20_000);

    const delta = {
      provider: 'ci',
      type: 'delta',
      entities: [asItem(component('f'))],
      removed: [{ entityRef: 'component:e', locationKey: '' }],
    };
    expect(await applyMutation(delta)).toEqual({ added: 1, updated: 0, deleted: 1, conflicts: [] });
    expect(await applyMutation(delta)).toEqual({ added: 0, updated: 0, deleted: 0, conflicts: [] });
    await waitFor('b and f served', async () => (await names()).join() === 'b,f', 20_000);
  });

  it('refuses callers that are not listed (403) and unauthenticated ones (401)', async () => {
    const body = { type: 'full', entities: [] };
    const other = await push('ci', body, otherToken);
    expect(other.status).toBe(403);
    expect(other.body.error).toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining("'ci'"),
    });
    const guest = (await getJson(`${gateway.url}/api/auth/guest/refresh`)).body.backstageIdentity
      .token as string;
    expect((await push('ci', body, guest)).status).toBe(403);
    const anonymous = await push('ci', body, null);
    expect(anonymous.status).toBe(401);

    await expect(applyMutation({ provider: 'ci', type: 'full' }, otherToken)).rejects.toMatchObject({
      code: 7,
    });
    await expect(applyMutation({ provider: 'ci', type: 'full' }, null)).rejects.toMatchObject({
      code: 16,
    });
    expect(await names()).toEqual(['b', 'f']);
  });

  it('refuses a bad entity with 400 naming its index and problem, applying nothing', async () => {
    const bad = { ...component('g'), spec: { type: 'service', lifecycle: 'production' } };
    const res = await push('ci', { type: 'full', entities: [{ entity: component('h') }, { entity: bad }] });
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
    expect(res.body.error.message).toMatch(/entities\[1\] \(component:default\/g\) is invalid: spec\.owner/);

    await expect(
      applyMutation({
        provider: 'ci',
        type: 'delta',
        entities: [{ json: Buffer.from('{nope'), locationKey: '' }],
      }),
    ).rejects.toMatchObject({ code: 3, details: expect.stringContaining('entities[0].json is not JSON') });
    await expect(
      applyMutation({
        provider: 'ci',
        type: 'delta',
        entities: [asItem({ ...component('x'), kind: 'Nope' })],
      }),
    ).rejects.toMatchObject({ code: 3, details: expect.stringContaining('unknown kind') });
    expect((await push('ci', { type: 'merge' })).status).toBe(400);

    // Nothing was applied: the same valid part alone is still new.
    expect((await push('ci', { type: 'delta', entities: [{ entity: component('h') }] })).body.added).toBe(1);
  });

  it('answers 404 for an unknown provider and 413 over the provider limit', async () => {
    const unknown = await push('nope', { type: 'full', entities: [] });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.name).toBe('NotFoundError');
    const tooMany = await push('small', {
      type: 'full',
      entities: ['x', 'y', 'z'].map((n) => ({ entity: component(n) })),
    });
    expect(tooMany.status).toBe(413);
    expect(tooMany.body.error.message).toContain('at most 2');
    await expect(
      applyMutation({
        provider: 'small',
        type: 'full',
        entities: ['x', 'y', 'z'].map((n) => asItem(component(n))),
      }),
    ).rejects.toMatchObject({ code: 8 });
    // A body over the service's JSON limit (16 MB) is refused before any check.
    const huge = {
      type: 'full',
      entities: [
        { entity: { ...component('big'), metadata: { name: 'big', description: 'x'.repeat(17_000_000) } } },
      ],
    };
    const oversized = await push('ci', huge);
    expect(oversized.status).toBe(413);
    expect(oversized.body.error.name).toBe('PayloadTooLargeError');

    // Another provider cannot take over what 'ci' pushed: a conflict, and b stays as it was.
    const small = await push('small', {
      type: 'full',
      entities: [{ entity: component('s') }, { entity: component('b', 'team-z'), locationKey: 'push:ci' }],
    });
    expect(small.body).toEqual({ added: 1, updated: 0, deleted: 0, conflicts: ['component:default/b'] });
  });
});
