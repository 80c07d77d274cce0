/**
 * Permission enforcement in the catalog with real processes: a gateway, a catalog with
 * `permission.enabled: true`, and a FAKE permission service started here as a real gRPC server
 * implementing `portal.permission.v1.PermissionService/Authorize` with a scripted policy. The catalog
 * finds it through the platform's existing static discovery override
 * (`portal.discovery.endpoints.permission.grpc`), so the real permission service is not needed.
 *
 * The user is the gateway's guest, configured as `user:default/alice` owning through
 * `group:default/team-a`; the scripted policy switches per test (owner-conditional, deny, down).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  credentials,
  Metadata,
  Server,
  ServerCredentials,
  status,
  type sendUnaryData,
  type ServerUnaryCall,
} from '@grpc/grpc-js';
import { catalogV1, permissionV1 } from '@portal/proto';
import { decodeJwt } from 'jose';
import {
  dropTestDatabases,
  getJson,
  PortalProcess,
  portalTestEnv,
  testDatabasePrefix,
  waitFor,
} from '../../../test/support/portal-process.js';

const prefix = testDatabasePrefix();
const externalToken = 'permissions-test-token-0123456789';
const ALICE = 'user:default/alice';
const TEAM_A = 'group:default/team-a';

function component(name: string, owner: string): string {
  return [
    'apiVersion: backstage.io/v1alpha1',
    'kind: Component',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    '  type: service',
    '  lifecycle: production',
    `  owner: ${owner}`,
  ].join('\n');
}

type Mode = 'allow' | 'owner' | 'deny' | 'down';

interface AuthorizeCall {
  audience: unknown;
  obo: { sub?: unknown; ent?: unknown } | undefined;
  items: Array<{ name: string; resourceRef: string }>;
}

/**
 * The fake permission service. `owner`: reads (and refreshes) are conditional on IS_ENTITY_OWNER with
 * the user's own ownership claims (from the obo token, as a real policy would), deletes and
 * location/entity creation are denied, everything else allowed. `down`: every call UNAVAILABLE.
 */
class FakePermissionService {
  mode: Mode = 'allow';
  readonly calls: AuthorizeCall[] = [];
  readonly server = new Server();
  port = 0;

  async start(): Promise<void> {
    this.server.addService(permissionV1.PermissionServiceService, {
      getInfo: (_call: unknown, callback: sendUnaryData<unknown>) =>
        callback({ code: status.UNIMPLEMENTED, details: 'fake' }),
      authorize: (
        call: ServerUnaryCall<permissionV1.AuthorizeRequest, permissionV1.AuthorizeResponse>,
        callback: sendUnaryData<permissionV1.AuthorizeResponse>,
      ) => this.authorize(call, callback),
    });
    this.port = await new Promise<number>((resolve, reject) =>
      this.server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, port) =>
        err ? reject(err) : resolve(port),
      ),
    );
  }

  private authorize(
    call: ServerUnaryCall<permissionV1.AuthorizeRequest, permissionV1.AuthorizeResponse>,
    callback: sendUnaryData<permissionV1.AuthorizeResponse>,
  ): void {
    if (this.mode === 'down') {
      callback({ code: status.UNAVAILABLE, details: 'fake permission service is down' });
      return;
    }
    // A fake: it reads the caller's service token and its obo user token without verifying them.
    const bearer = String(call.metadata.get('authorization')[0] ?? '').replace(/^Bearer /, '');
    const service = decodeJwt(bearer);
    const obo = typeof service.obo === 'string' ? decodeJwt(service.obo) : undefined;
    const items = call.request.items.map((item) => ({
      id: item.id,
      name: (JSON.parse(item.permissionJson) as { name: string }).name,
      resourceRef: item.resourceRef,
    }));
    this.calls.push({ audience: service.aud, obo, items });
    const claims = Array.isArray(obo?.ent) ? (obo!.ent as string[]) : [];
    callback(null, {
      items: items.map((item) => ({ id: item.id, ...this.decide(item.name, claims) })),
    });
  }

  private decide(name: string, claims: string[]): Omit<permissionV1.Decision, 'id'> {
    const plain = (result: string) => ({ result, pluginId: '', resourceType: '', conditionsJson: '' });
    if (this.mode === 'allow') return plain('ALLOW');
    if (this.mode === 'deny') return plain('DENY');
    if (name === 'catalog.entity.read' || name === 'catalog.entity.refresh') {
      return {
        result: 'CONDITIONAL',
        pluginId: 'catalog',
        resourceType: 'catalog-entity',
        conditionsJson: JSON.stringify({
          rule: 'IS_ENTITY_OWNER',
          resourceType: 'catalog-entity',
          params: { claims },
        }),
      };
    }
    if (['catalog.entity.delete', 'catalog.location.create', 'catalog.entity.create'].includes(name)) {
      return plain('DENY');
    }
    return plain('ALLOW');
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.tryShutdown(() => resolve()));
  }
}

/** Reads SSE frames from a response, for a bounded time. */
async function readSse(response: Response, ms: number): Promise<Array<Record<string, string>>> {
  const frames: Array<Record<string, string>> = [];
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const deadline = Date.now() + ms;
  try {
    while (Date.now() < deadline) {
      const chunk = await Promise.race([
        reader.read(),
        new Promise<{ done: true; value?: undefined }>((r) =>
          setTimeout(() => r({ done: true }), Math.max(1, deadline - Date.now())),
        ),
      ]);
      if (chunk.done) break;
      text += decoder.decode(chunk.value, { stream: true });
      let end: number;
      while ((end = text.indexOf('\n\n')) >= 0) {
        const frame: Record<string, string> = {};
        for (const line of text.slice(0, end).split('\n')) {
          if (line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          frame[line.slice(0, colon)] = line.slice(colon + 1).trimStart();
        }
        text = text.slice(end + 2);
        if (Object.keys(frame).length) frames.push(frame);
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return frames;
}

describe('permission enforcement in the catalog (fake permission service)', () => {
  let dir: string;
  let fake: FakePermissionService;
  let gateway: PortalProcess;
  let catalog: PortalProcess;
  let token: string;
  const uids = new Map<string, string>();

  const api = (path: string) => `${gateway.url}/api/catalog${path}`;
  const auth = (extra: Record<string, string> = {}) => ({ authorization: `Bearer ${token}`, ...extra });
  const get = (path: string) => getJson(api(path), { headers: auth() });
  const post = (path: string, body: unknown) =>
    getJson(api(path), {
      method: 'POST',
      headers: auth({ 'content-type': 'application/json' }),
      body: JSON.stringify(body),
    });
  const names = (items: Array<{ metadata: { name: string } } | null>) =>
    items.map((e) => e?.metadata.name ?? null);
  const componentNames = async () =>
    names(
      (await get('/entities?filter=kind=component')).body as Array<{ metadata: { name: string } }>,
    ).sort();

  beforeAll(async () => {
    fake = new FakePermissionService();
    await fake.start();
    dir = mkdtempSync(join(tmpdir(), 'portal-permissions-'));
    writeFileSync(
      join(dir, 'catalog.yaml'),
      [component('a1', 'team-a'), component('a2', 'team-a'), component('b1', 'team-b')].join('\n---\n'),
    );
    const { env, gatewayPorts } = await portalTestEnv({
      prefix,
      overrides: {
        LOG_LEVEL: 'info',
        APP_CONFIG_permission_enabled: 'true',
        APP_CONFIG_portal_discovery_endpoints: JSON.stringify({
          permission: { grpc: `127.0.0.1:${fake.port}` },
        }),
        APP_CONFIG_auth_providers_guest: JSON.stringify({
          userEntityRef: ALICE,
          ownershipEntityRefs: [ALICE, TEAM_A],
        }),
        APP_CONFIG_backend_auth_externalAccess: JSON.stringify([
          { type: 'static', options: { token: externalToken, subject: 'ci' } },
        ]),
        APP_CONFIG_catalog_fileRoots: JSON.stringify([dir]),
        APP_CONFIG_catalog_locations: JSON.stringify([{ type: 'file', target: join(dir, 'catalog.yaml') }]),
        APP_CONFIG_catalog_stitchingStrategy: JSON.stringify({
          settleTime: { milliseconds: 100 },
          bulkSettleTime: { milliseconds: 200 },
          pollingInterval: { milliseconds: 200 },
        }),
        APP_CONFIG_catalog_processing_pollingInterval: JSON.stringify({ milliseconds: 200 }),
        APP_CONFIG_catalog_events: JSON.stringify({
          pollingInterval: { milliseconds: 300 },
          reauthorizeInterval: { milliseconds: 300 },
        }),
      },
    });
    gateway = await PortalProcess.start('gateway', env, gatewayPorts);
    catalog = await PortalProcess.start('catalog', env);
    await waitFor(
      'catalog ready',
      async () => (await getJson(api('/.backstage/health/v1/readiness'))).status === 200,
      60_000,
    );
    const guest = await getJson(`${gateway.url}/api/auth/guest/refresh`);
    if (guest.status !== 200) throw new Error(`guest sign-in: ${guest.status} ${JSON.stringify(guest.body)}`);
    token = guest.body.backstageIdentity.token as string;
    fake.mode = 'allow';
    await waitFor('the three components', async () => (await componentNames()).length === 3, 60_000, 200);
    for (const name of ['a1', 'a2', 'b1']) {
      uids.set(name, (await get(`/entities/by-name/component/default/${name}`)).body.metadata.uid as string);
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.all([gateway?.stop(), catalog?.stop()]);
    await fake?.stop();
    await dropTestDatabases(prefix);
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  beforeEach(() => {
    fake.mode = 'owner';
  });

  it('asks the permission service for the user, with a service token carrying the user token as obo', async () => {
    fake.calls.length = 0;
    expect((await get('/entities/by-query?limit=1')).status).toBe(200);
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0]).toMatchObject({
      audience: 'permission',
      obo: { sub: ALICE, ent: [ALICE, TEAM_A] },
      items: [{ name: 'catalog.entity.read', resourceRef: '' }],
    });
  });

  it('serves the permission metadata; apply-conditions only for services', async () => {
    const { status: s, body } = await get('/.well-known/backstage/permissions/metadata');
    expect(s).toBe(200);
    expect(body.permissions.map((p: { name: string }) => p.name)).toContain('catalog.entity.read');
    expect(body.rules.map((r: { name: string }) => r.name)).toEqual([
      'IS_ENTITY_OWNER',
      'IS_ENTITY_KIND',
      'HAS_ANNOTATION',
      'HAS_LABEL',
      'HAS_METADATA',
      'HAS_SPEC',
    ]);
    const denied = await post('/.well-known/backstage/permissions/apply-conditions', { items: [] });
    expect(denied.status).toBe(401);
  });

  it('lists and streams only what the conditional read allows', async () => {
    expect(await componentNames()).toEqual(['a1', 'a2']);
    const all = (await get('/entities')).body as Array<{ kind: string }>;
    // Only entities owned by team-a: the generated Location entity has no owner.
    expect(all.map((e) => e.kind)).toEqual(['Component', 'Component']);
    const paged = await get('/entities?limit=1');
    expect(paged.body).toHaveLength(1);
  });

  it('by-query: filtered totals and pages; the filter is not in the cursor', async () => {
    const first = await get('/entities/by-query?limit=1&orderField=metadata.name,asc');
    expect(first.status).toBe(200);
    expect(first.body.totalItems).toBe(2);
    expect(names(first.body.items)).toEqual(['a1']);
    const cursor = first.body.pageInfo.nextCursor as string;
    expect(Buffer.from(cursor, 'base64').toString('utf8').toLowerCase()).not.toContain('ownedby');
    const second = await get(`/entities/by-query?cursor=${encodeURIComponent(cursor)}`);
    expect(names(second.body.items)).toEqual(['a2']);
    expect(second.body.pageInfo.nextCursor).toBeUndefined();
    const viaPost = await post('/entities/by-query', { query: { kind: 'component' } });
    expect(names(viaPost.body.items).sort()).toEqual(['a1', 'a2']);
    // The same cursor under a DENY decision reads nothing: the filter is applied afresh each page.
    fake.mode = 'deny';
    const denied = await get(`/entities/by-query?cursor=${encodeURIComponent(cursor)}`);
    expect(denied.body.items).toEqual([]);
  });

  it('by-refs: hidden entities are null; by-name and by-uid: 404', async () => {
    const refs = await post('/entities/by-refs', {
      entityRefs: ['component:default/a1', 'component:default/b1', 'component:default/nope'],
    });
    expect(names(refs.body.items)).toEqual(['a1', null, null]);
    expect((await get('/entities/by-name/component/default/a1')).status).toBe(200);
    const hidden = await get('/entities/by-name/component/default/b1');
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.name).toBe('NotFoundError');
    expect((await get(`/entities/by-uid/${uids.get('a2')}`)).status).toBe(200);
    expect((await get(`/entities/by-uid/${uids.get('b1')}`)).status).toBe(404);
  });

  it('facets count only readable entities', async () => {
    const { body } = await get('/entity-facets?facet=spec.owner&facet=kind');
    expect(body.facets['spec.owner']).toEqual([{ value: 'team-a', count: 2 }]);
    expect(body.facets.kind).toEqual([{ value: 'Component', count: 2 }]);
    const viaPost = await post('/entity-facets', { facets: ['metadata.name'] });
    expect(viaPost.body.facets['metadata.name'].map((f: { value: string }) => f.value)).toEqual(['a1', 'a2']);
  });

  it('ancestry and history: 404 for hidden entities, unreadable ancestors left out', async () => {
    expect((await get('/entities/by-name/component/default/b1/ancestry')).status).toBe(404);
    const ancestry = await get('/entities/by-name/component/default/a1/ancestry');
    expect(ancestry.status).toBe(200);
    expect(ancestry.body.rootEntityRef).toBe('component:default/a1');
    // The Location parent (no owner) is not readable for alice.
    expect(ancestry.body.items.map((i: { entity: { kind: string } }) => i.entity.kind)).toEqual([
      'Component',
    ]);
    fake.mode = 'allow';
    const full = await get('/entities/by-name/component/default/a1/ancestry');
    expect(full.body.items.length).toBeGreaterThan(1);
    fake.mode = 'owner';
    expect((await get('/entities/by-name/component/default/b1/history')).status).toBe(404);
    const history = await get('/entities/by-name/component/default/a1/history');
    expect(history.status).toBe(200);
    expect(history.body.items.length).toBeGreaterThan(0);
  });

  it('SSE change stream: only events of readable entities', async () => {
    const response = await fetch(api('/events?cursor=0'), { headers: auth() });
    expect(response.status).toBe(200);
    const frames = await readSse(response, 3000);
    const refs = frames.map((f) => JSON.parse(f.data!).entityRef as string);
    expect(refs).toEqual(expect.arrayContaining(['component:default/a1', 'component:default/a2']));
    expect(refs.filter((r) => !['component:default/a1', 'component:default/a2'].includes(r))).toEqual([]);
  });

  it('SSE change stream: an open stream follows policy changes, and ends when no decision can be had', async () => {
    const response = await fetch(api('/events'), { headers: auth() }); // from now on
    expect(response.status).toBe(200);
    const opened = Date.now();
    const reading = readSse(response, 20_000);
    // Under the owner policy b1 (team-b's) is hidden; once the policy allows everything, its change
    // reaches the stream that was opened before, without a reconnection.
    fake.mode = 'allow';
    await new Promise((r) => setTimeout(r, 1000));
    writeFileSync(
      join(dir, 'catalog.yaml'),
      [
        component('a1', 'team-a'),
        component('a2', 'team-a'),
        component('b1', 'team-b').replace('lifecycle: production', 'lifecycle: experimental'),
      ].join('\n---\n'),
    );
    expect((await post('/refresh', { entityRef: 'component:default/b1' })).status).toBe(200);
    await waitFor(
      'b1 reprocessed',
      async () =>
        (await get('/entities/by-name/component/default/b1')).body?.spec?.lifecycle === 'experimental',
      20_000,
      200,
    );
    await new Promise((r) => setTimeout(r, 1000));
    // The permission service gone: the open stream ends within the re-authorization interval.
    fake.mode = 'down';
    const frames = await reading;
    expect(Date.now() - opened).toBeLessThan(15_000);
    expect(frames.map((f) => JSON.parse(f.data!).entityRef as string)).toContain('component:default/b1');
  }, 40_000);

  it('gRPC reads with a user token apply the same filter; an external token reads everything', async () => {
    const client = new catalogV1.CatalogServiceClient(
      `127.0.0.1:${catalog.grpcPort}`,
      credentials.createInsecure(),
    );
    const call = (bearer: string) =>
      new Promise<catalogV1.GetEntitiesByRefsResponse>((resolve, reject) => {
        const md = new Metadata();
        md.set('authorization', `Bearer ${bearer}`);
        client.getEntitiesByRefs(
          catalogV1.GetEntitiesByRefsRequest.fromPartial({
            entityRefs: ['component:default/a1', 'component:default/b1'],
          }),
          md,
          { deadline: Date.now() + 10_000 },
          (err, res) => (err ? reject(err) : resolve(res)),
        );
      });
    try {
      const asUser = await call(token);
      expect(asUser.items.map((i) => i.json.length > 0)).toEqual([true, false]);
      const asExternal = await call(externalToken);
      expect(asExternal.items.map((i) => i.json.length > 0)).toEqual([true, true]);
    } finally {
      client.close();
    }
  });

  it('gRPC WatchEntities with a user token: only events of readable entities', async () => {
    const client = new catalogV1.CatalogServiceClient(
      `127.0.0.1:${catalog.grpcPort}`,
      credentials.createInsecure(),
    );
    const md = new Metadata();
    md.set('authorization', `Bearer ${token}`);
    const refs: string[] = [];
    const call = client.watchEntities(catalogV1.WatchEntitiesRequest.fromPartial({ cursor: '0' }), md);
    call.on('data', (event: catalogV1.EntityEvent) => refs.push(event.entityRef));
    call.on('error', () => undefined);
    try {
      await waitFor(
        'a1 and a2 events',
        () => refs.includes('component:default/a1') && refs.includes('component:default/a2'),
        10_000,
      );
      // Give anything that should not come a moment to show up.
      await new Promise((r) => setTimeout(r, 1000));
      expect(refs.filter((r) => !['component:default/a1', 'component:default/a2'].includes(r))).toEqual([]);
    } finally {
      call.cancel();
      client.close();
    }
  });

  it('denied writes are 403; allowed and conditional ones go through', async () => {
    const del = await getJson(api(`/entities/by-uid/${uids.get('b1')}`), {
      method: 'DELETE',
      headers: auth(),
    });
    expect(del.status).toBe(403);
    expect(del.body.error.name).toBe('NotAllowedError');
    const loc = await post('/locations', { type: 'url', target: 'https://example.com/catalog-info.yaml' });
    expect(loc.status).toBe(403);
    // Refresh is conditional on ownership: a1 yes, b1 no.
    expect((await post('/refresh', { entityRef: 'component:default/a1' })).status).toBe(200);
    expect((await post('/refresh', { entityRef: 'component:default/b1' })).status).toBe(403);
    const kinds = await getJson(api('/kinds/Widget'), {
      method: 'PUT',
      headers: auth({ 'content-type': 'application/json' }),
      body: JSON.stringify({}),
    });
    expect(kinds.status).toBe(403);
    // catalog.location.delete is allowed by this policy: the unknown id is then a 404, not a 403.
    const unknown = await getJson(api('/locations/00000000-0000-4000-8000-000000000000'), {
      method: 'DELETE',
      headers: auth(),
    });
    expect(unknown.status).toBe(404);
    fake.mode = 'deny';
    const denied = await getJson(api('/locations/00000000-0000-4000-8000-000000000000'), {
      method: 'DELETE',
      headers: auth(),
    });
    expect(denied.status).toBe(403);
    const analyze = await post('/analyze-location', {
      location: { type: 'url', target: 'https://example.com/x.yaml' },
    });
    expect(analyze.status).toBe(403);
  });

  it('DENY reads: empty lists, 404 by name, no locations', async () => {
    fake.mode = 'deny';
    const page = await get('/entities/by-query');
    expect(page.body).toMatchObject({ items: [], totalItems: 0 });
    expect((await get('/entities')).body).toEqual([]);
    expect((await get('/entities/by-name/component/default/a1')).status).toBe(404);
    expect((await get('/entity-facets?facet=kind')).body).toEqual({ facets: { kind: [] } });
    expect((await get('/locations')).body).toEqual([]);
    const entity = { apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name: 'x' } };
    const validate = await post('/validate-entity', { entity, location: 'url:https://example.com/x.yaml' });
    expect(validate.status).toBe(403);
    expect(validate.body.error.name).toBe('NotAllowedError');
  });

  it('fails closed: permission service down → 503 on reads and writes, never data', async () => {
    fake.mode = 'down';
    for (const response of [
      await get('/entities/by-query'),
      await get('/entities/by-name/component/default/a1'),
      await post('/entities/by-refs', { entityRefs: ['component:default/a1'] }),
      await get('/entities'),
      await post('/locations', { type: 'url', target: 'https://example.com/catalog-info.yaml' }),
      await getJson(api(`/entities/by-uid/${uids.get('a1')}`), { method: 'DELETE', headers: auth() }),
    ]) {
      expect(response.status).toBe(503);
      expect(response.body.error.name).toBe('ServiceUnavailableError');
    }
    const sse = await fetch(api('/events?cursor=0'), { headers: auth() });
    expect(sse.status).toBe(503);
    await sse.body?.cancel();
    // The server really gone (connection refused): still 503.
    await fake.stop();
    const gone = await get('/entities/by-name/component/default/a1');
    expect(gone.status).toBe(503);
  }, 60_000);
});
