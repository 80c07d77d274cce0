/**
 * Backstage's own CatalogClient (@backstage/catalog-client) against the catalog service through the
 * gateway, with a signed-in user's token: every read method. The entities are written as stitched
 * final entities directly (the write path has tests of its own).
 */
import { CatalogClient, CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { credentials, Metadata, type ServiceError } from '@grpc/grpc-js';
import { catalogV1 } from '@portal/proto';
import { DataSource } from 'typeorm';
import type { Entity } from '@portal/catalog-model';
import {
  fixtureCatalog,
  insertEntities,
  manyServices,
} from '../src/entities/query/testing/catalog-test-database.js';
import {
  dropTestDatabases,
  getJson,
  PortalProcess,
  portalTestEnv,
  testDatabasePrefix,
  waitFor,
} from '../../../test/support/portal-process.js';

const prefix = testDatabasePrefix();
const serviceToken = 'catalog-grpc-test-token-0123456789';

describe('CatalogClient through the gateway', () => {
  let gateway: PortalProcess;
  let catalog: PortalProcess;
  let db: DataSource;
  let client: CatalogClient;
  let token: string;
  let stored: Entity[];

  beforeAll(async () => {
    const { env, gatewayPorts } = await portalTestEnv({
      prefix,
      overrides: {
        APP_CONFIG_backend_auth_externalAccess: JSON.stringify([
          { type: 'static', options: { token: serviceToken, subject: 'ci' } },
        ]),
      },
    });
    gateway = await PortalProcess.start('gateway', env, gatewayPorts);
    catalog = await PortalProcess.start('catalog', env);
    await waitFor(
      'catalog ready',
      async () => (await getJson(`${gateway.url}/api/catalog/.backstage/health/v1/readiness`)).status === 200,
      60_000,
    );

    const url = new URL(env.DATABASE_URL!);
    url.pathname = `/${prefix}catalog`;
    db = new DataSource({ type: 'postgres', url: url.toString() });
    await db.initialize();
    stored = await insertEntities(db, [...fixtureCatalog(), ...manyServices(250)]);

    token = (await getJson(`${gateway.url}/api/auth/guest/refresh`)).body.backstageIdentity.token;
    client = new CatalogClient({
      discoveryApi: { getBaseUrl: async (pluginId: string) => `${gateway.url}/api/${pluginId}` },
      fetchApi: { fetch: (input, init) => fetch(input, init) },
    });
  });

  afterAll(async () => {
    await db?.destroy();
    await Promise.all([gateway?.stop(), catalog?.stop()]);
    await dropTestDatabases(prefix);
  });

  const auth = () => ({ token });
  const components = () => stored.filter((e) => e.kind === 'Component');

  it('refuses a caller without credentials', async () => {
    await expect(client.getEntities({}, {})).rejects.toMatchObject({ response: { status: 401 } });
  });

  it('getEntities: filters (OR of sets, AND inside, exists), fields and order, streamed', async () => {
    const { items } = await client.getEntities({ filter: { kind: 'component' } }, auth());
    expect(items).toHaveLength(components().length);

    const either = await client.getEntities({ filter: [{ kind: 'group' }, { kind: 'user' }] }, auth());
    expect(either.items).toHaveLength(stored.filter((e) => e.kind === 'Group' || e.kind === 'User').length);

    const titled = await client.getEntities(
      {
        filter: { kind: 'component', 'metadata.title': CATALOG_FILTER_EXISTS },
        fields: ['metadata.name', 'metadata.title'],
      },
      auth(),
    );
    expect(titled.items.length).toBe(components().filter((e) => e.metadata.title).length);
    expect(Object.keys(titled.items[0]!)).toEqual(['metadata']);

    const ordered = await client.getEntities(
      {
        filter: { kind: 'component', 'spec.type': 'website' },
        order: { field: 'metadata.name', order: 'desc' },
      },
      auth(),
    );
    const names = ordered.items.map((e) => e.metadata.name);
    expect(names).toEqual([...names].sort((a, b) => b.localeCompare(a)));
  });

  it('queryEntities: cursor pages to the end, totals, full text, both GET filters and POST predicates', async () => {
    const seen: string[] = [];
    let response = await client.queryEntities(
      { filter: { kind: 'component' }, limit: 40, orderFields: { field: 'metadata.name', order: 'asc' } },
      auth(),
    );
    expect(response.totalItems).toBe(components().length);
    for (;;) {
      seen.push(...response.items.map((e) => e.metadata.name));
      if (!response.pageInfo.nextCursor) break;
      response = await client.queryEntities({ cursor: response.pageInfo.nextCursor, limit: 40 }, auth());
    }
    expect(seen).toHaveLength(components().length);
    expect(new Set(seen).size).toBe(seen.length);

    const predicate = await client.queryEntities(
      { query: { $all: [{ kind: 'component' }, { 'spec.type': { $in: ['website'] } }] }, limit: 10 } as never,
      auth(),
    );
    expect(predicate.totalItems).toBe(
      components().filter((e) => (e.spec as { type?: string }).type?.toLowerCase() === 'website').length,
    );
    expect(predicate.pageInfo.nextCursor).toBeDefined();
    const second = await client.queryEntities({ cursor: predicate.pageInfo.nextCursor!, limit: 10 }, auth());
    expect(second.items).toHaveLength(Math.min(10, predicate.totalItems - 10));
    expect(second.pageInfo.prevCursor).toBeDefined();

    const text = await client.queryEntities(
      { filter: { kind: 'component' }, fullTextFilter: { term: 'SVC-01', fields: ['metadata.name'] } },
      auth(),
    );
    expect(text.items.map((e) => e.metadata.name).sort()).toEqual(
      components()
        .map((e) => e.metadata.name)
        .filter((n) => n.toLowerCase().includes('svc-01'))
        .sort(),
    );
  });

  it('getEntityByRef, getEntitiesByRefs (order and nulls), and by-uid', async () => {
    const svc = stored.find((e) => e.metadata.name === 'svc-007')!;
    expect((await client.getEntityByRef('component:default/SVC-007', auth()))?.metadata.uid).toBe(
      svc.metadata.uid,
    );
    expect(await client.getEntityByRef('component:default/nope', auth())).toBeUndefined();
    const byRefs = await client.getEntitiesByRefs(
      {
        entityRefs: ['component:default/svc-002', 'component:default/missing', 'component:default/svc-001'],
        fields: ['metadata.name'],
      },
      auth(),
    );
    expect(byRefs.items.map((e) => e?.metadata.name ?? null)).toEqual(['svc-002', null, 'svc-001']);
    // The client has no by-uid call: Backstage's frontend uses the route directly.
    const headers = { authorization: `Bearer ${token}` };
    const byUid = await getJson(`${gateway.url}/api/catalog/entities/by-uid/${svc.metadata.uid}`, {
      headers,
    });
    expect(byUid.body.metadata.name).toBe('svc-007');
    const missing = await getJson(
      `${gateway.url}/api/catalog/entities/by-uid/00000000-0000-4000-8000-000000000000`,
      { headers },
    );
    expect(missing.status).toBe(404);
    expect(missing.body.error.name).toBe('NotFoundError');
  });

  it('getEntityFacets in original case, with a filter', async () => {
    const { facets } = await client.getEntityFacets(
      { facets: ['kind', 'spec.type'], filter: { kind: 'component' } },
      auth(),
    );
    expect(facets.kind).toEqual([{ value: 'Component', count: components().length }]);
    const total = facets['spec.type']!.reduce((sum, f) => sum + f.count, 0);
    expect(total).toBe(components().filter((e) => (e.spec as { type?: string }).type).length);
  });

  it('validateEntity: valid, and invalid with the problems named', async () => {
    const location = 'url:https://example.com/catalog-info.yaml';
    const valid = await client.validateEntity(
      stored.find((e) => e.metadata.name === 'svc-001')!,
      location,
      auth(),
    );
    expect(valid).toEqual({ valid: true });
    const invalid = await client.validateEntity(
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'Bad Name!' },
        spec: {},
      } as Entity,
      location,
      auth(),
    );
    expect(invalid.valid).toBe(false);
    expect(JSON.stringify(invalid)).toContain('metadata.name');
  });

  it('pages GET /entities with limit and the Link header', async () => {
    const headers = { authorization: `Bearer ${token}` };
    let path: string | undefined = '/api/catalog/entities?filter=kind%3Dcomponent&limit=100';
    const names: string[] = [];
    let pages = 0;
    while (path) {
      const res = await fetch(`${gateway.url}${path}`, { headers });
      names.push(...((await res.json()) as Entity[]).map((e) => e.metadata.name));
      path = /<([^>]+)>; rel="next"/.exec(res.headers.get('link') ?? '')?.[1];
      pages++;
    }
    expect(pages).toBe(Math.ceil(components().length / 100));
    expect(new Set(names).size).toBe(components().length);
  });

  it('serves the same reads over gRPC: by refs, query with cursor, facets', async () => {
    const grpc = new catalogV1.CatalogServiceClient(
      `127.0.0.1:${catalog.grpcPort}`,
      credentials.createInsecure(),
    );
    const md = new Metadata();
    md.set('authorization', `Bearer ${serviceToken}`);
    const call = <Res>(method: (...args: any[]) => unknown, req: unknown) =>
      new Promise<Res>((resolve, reject) =>
        method.call(grpc, req, md, (e: ServiceError | null, r: Res) => (e ? reject(e) : resolve(r))),
      );
    const decode = (item: { json: Uint8Array }) =>
      item.json.length ? (JSON.parse(Buffer.from(item.json).toString()) as Entity) : null;

    const refs = await call<catalogV1.GetEntitiesByRefsResponse>(grpc.getEntitiesByRefs, {
      entityRefs: ['component:default/svc-003', 'component:default/none'],
      fields: [],
      filterJson: '',
    });
    expect(refs.items.map(decode).map((e) => e?.metadata.name ?? null)).toEqual(['svc-003', null]);

    const first = await call<catalogV1.QueryEntitiesResponse>(
      grpc.queryEntities,
      catalogV1.QueryEntitiesRequest.fromPartial({
        filterJson: JSON.stringify({ kind: 'component', 'spec.type': 'website' }),
        orderFields: [{ field: 'metadata.name', order: 'desc' }],
        limit: 5,
      }),
    );
    expect(first.items).toHaveLength(5);
    expect(first.totalItems).toBe(
      components().filter((e) => (e.spec as { type?: string }).type?.toLowerCase() === 'website').length,
    );
    const next = await call<catalogV1.QueryEntitiesResponse>(
      grpc.queryEntities,
      catalogV1.QueryEntitiesRequest.fromPartial({ cursor: first.nextCursor, limit: 5 }),
    );
    expect(decode(next.items[0]!)!.metadata.name < decode(first.items[4]!)!.metadata.name).toBe(true);

    const facets = await call<catalogV1.FacetsResponse>(grpc.facets, { facets: ['kind'], filterJson: '' });
    expect(facets.facets.kind!.values.find((v) => v.value === 'Component')?.count).toBe(components().length);

    await expect(
      call(grpc.queryEntities, catalogV1.QueryEntitiesRequest.fromPartial({ filterJson: '{"$nope": 1}' })),
    ).rejects.toMatchObject({ code: 3 });
    grpc.close();
  });

  it('answers bad filters with a 400 naming the bad part', async () => {
    const res = await getJson(`${gateway.url}/api/catalog/entities/by-query?filter=%3Dcomponent`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
  });
});
