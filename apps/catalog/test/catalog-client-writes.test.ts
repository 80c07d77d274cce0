/**
 * Backstage's own CatalogClient (@backstage/catalog-client) against the catalog service through the
 * gateway: every location and entity-mutation method, with url locations served by a loopback HTTP
 * server and the real ingestion engine processing them.
 */
import { CatalogClient, type Location } from '@backstage/catalog-client';
import { credentials, Metadata, type ServiceError } from '@grpc/grpc-js';
import { catalogV1 } from '@portal/proto';
import { DataSource } from 'typeorm';
import type { Entity } from '@portal/catalog-model';
import { startFileServer, type FileServer } from '../src/processing/testing/http-server.js';
import {
  dropTestDatabases,
  getJson,
  PortalProcess,
  portalTestEnv,
  testDatabasePrefix,
  waitFor,
} from '../../../test/support/portal-process.js';

const prefix = testDatabasePrefix();
const serviceToken = 'catalog-writes-test-token-0123456789';

const componentDoc = (name: string) => `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
spec:
  type: service
  lifecycle: production
  owner: team-a`;

describe('CatalogClient writes and locations through the gateway', () => {
  let files: FileServer;
  let gateway: PortalProcess;
  let catalog: PortalProcess;
  let db: DataSource;
  let client: CatalogClient;
  let token: string;

  const auth = () => ({ token });
  const target = () => `${files.base}/org/repo/catalog-info.yaml`;
  const entity = (ref: string) => client.getEntityByRef(ref, auth());
  const eventually = <T>(what: string, probe: () => Promise<T | undefined | false>) =>
    waitFor(what, probe, 30_000, 200);

  beforeAll(async () => {
    files = await startFileServer({
      '/org/repo/catalog-info.yaml': [
        componentDoc('alpha'),
        `apiVersion: backstage.io/v1alpha1
kind: Location
metadata:
  name: more
spec:
  targets: [./more.yaml]`,
      ].join('\n---\n'),
      '/org/repo/more.yaml': componentDoc('beta'),
      // Where the location is moved to (updateLocation): alpha again, and gamma.
      '/org/other.yaml': [componentDoc('alpha'), componentDoc('gamma')].join('\n---\n'),
    });
    const { env, gatewayPorts } = await portalTestEnv({
      prefix,
      overrides: {
        LOG_LEVEL: 'info',
        APP_CONFIG_backend_auth_externalAccess: JSON.stringify([
          { type: 'static', options: { token: serviceToken, subject: 'ci' } },
        ]),
        APP_CONFIG_backend_reading_allow: JSON.stringify([{ host: new URL(files.base).host }]),
        APP_CONFIG_backend_reading_allowPrivateNetworks: JSON.stringify(['127.0.0.0/8']),
        APP_CONFIG_catalog_processing_pollingInterval: JSON.stringify({ milliseconds: 200 }),
        APP_CONFIG_catalog_stitchingStrategy: JSON.stringify({
          settleTime: { milliseconds: 100 },
          bulkSettleTime: { milliseconds: 200 },
          pollingInterval: { milliseconds: 200 },
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
    const url = new URL(env.DATABASE_URL!);
    url.pathname = `/${prefix}catalog`;
    db = new DataSource({ type: 'postgres', url: url.toString() });
    await db.initialize();
    token = (await getJson(`${gateway.url}/api/auth/guest/refresh`)).body.backstageIdentity.token;
    client = new CatalogClient({
      discoveryApi: { getBaseUrl: async (pluginId: string) => `${gateway.url}/api/${pluginId}` },
      fetchApi: { fetch: (input, init) => fetch(input, init) },
    });
  }, 90_000);

  afterAll(async () => {
    await db?.destroy();
    await Promise.all([gateway?.stop(), catalog?.stop()]);
    await files?.close();
    await dropTestDatabases(prefix);
  }, 60_000);

  let location: Location;

  it('addLocation: dry run shows what would come in and writes nothing', async () => {
    const dry = await client.addLocation({ target: target(), dryRun: true }, auth());
    expect(dry.location).toMatchObject({ id: `url:${target()}`, type: 'url', target: target() });
    expect(dry.exists).toBe(false);
    expect(dry.entities.map((e) => `${e.kind}:${e.metadata.name}`)).toEqual([
      `Location:${dry.location.entityRef.split('/')[1]}`,
      'Component:alpha',
      'Location:more',
      'Component:beta',
    ]);
    expect((await client.getLocations({}, auth())).items).toEqual([]);
  });

  it('addLocation: registers (201, entities []), refuses a duplicate (409) and other types (400)', async () => {
    const added = await client.addLocation({ type: 'url', target: target() }, auth());
    location = added.location;
    expect(location).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      type: 'url',
      target: target(),
      entityRef: expect.stringMatching(/^location:default\/generated-[0-9a-f]{40}$/),
    });
    expect(added.entities).toEqual([]);
    await expect(client.addLocation({ target: target() }, auth())).rejects.toMatchObject({
      response: { status: 409 },
    });
    const again = await client.addLocation({ target: target(), onConflict: 'refresh' }, auth());
    expect(again.location).toEqual(location);
    expect((await client.addLocation({ target: target(), dryRun: true }, auth())).exists).toBe(true);
    await expect(client.addLocation({ type: 'file', target: '/etc/passwd' }, auth())).rejects.toMatchObject({
      response: { status: 400 },
      body: {
        error: { name: 'InputError', message: 'Registered locations must be of an allowed type ["url"]' },
      },
    });

    // The entities appear once the engine has read the file (and the nested Location).
    await eventually(
      'alpha and beta',
      async () => (await entity('component:default/alpha')) && entity('component:default/beta'),
    );
  });

  it('getLocations, queryLocations, streamLocations, getLocationById, getLocationByRef, getLocationByEntity', async () => {
    expect((await client.getLocations({}, auth())).items).toEqual([location]);
    const page = await client.queryLocations(
      { limit: 10, query: { type: 'URL', target: { $hasPrefix: files.base } } },
      auth(),
    );
    expect(page).toEqual({ items: [location], totalItems: 1, pageInfo: {} });
    expect((await client.queryLocations({ query: { type: 'file' } }, auth())).totalItems).toBe(0);
    const streamed: Location[] = [];
    for await (const items of client.streamLocations({}, auth())) streamed.push(...items);
    expect(streamed).toEqual([location]);

    expect(await client.getLocationById(location.id, auth())).toEqual(location);
    expect(await client.getLocationById('00000000-0000-4000-8000-000000000000', auth())).toBeUndefined();
    expect(await client.getLocationByRef(`url:${target()}`, auth())).toEqual(location);
    expect(await client.getLocationByEntity('component:default/beta', auth())).toEqual(location);
    expect(await client.getLocationByEntity('component:default/nope', auth())).toBeUndefined();
  });

  it('getEntityAncestors walks from the entity up to the registered location', async () => {
    const ancestry = await client.getEntityAncestors({ entityRef: 'component:default/beta' }, auth());
    expect(ancestry.rootEntityRef).toBe('component:default/beta');
    expect(ancestry.items.map((i) => [i.entity.metadata.name, i.parentEntityRefs])).toEqual([
      ['beta', ['location:default/more']],
      ['more', [location.entityRef]],
      [location.entityRef.split('/')[1], []],
    ]);
    await expect(
      client.getEntityAncestors({ entityRef: 'component:default/nope' }, auth()),
    ).rejects.toMatchObject({
      response: { status: 404 },
    });
  });

  it('refreshEntity (REST, exactly 200) and Refresh over gRPC', async () => {
    await expect(client.refreshEntity('component:default/alpha', auth())).resolves.toBeUndefined();
    await expect(client.refreshEntity('component:default/nope', auth())).rejects.toMatchObject({
      response: { status: 404 },
    });
    const grpc = new catalogV1.CatalogServiceClient(
      `127.0.0.1:${catalog.grpcPort}`,
      credentials.createInsecure(),
    );
    const md = new Metadata();
    md.set('authorization', `Bearer ${serviceToken}`);
    const refresh = (entityRef: string) =>
      new Promise<unknown>((resolve, reject) =>
        grpc.refresh({ entityRef }, md, (e: ServiceError | null, r: unknown) => (e ? reject(e) : resolve(r))),
      );
    await expect(refresh('component:default/alpha')).resolves.toEqual({});
    await expect(refresh('component:default/nope')).rejects.toMatchObject({ code: 5 });
    await expect(refresh('')).rejects.toMatchObject({ code: 3 });
    grpc.close();
  });

  it('removeEntityByUid: 204, a deleted event, and the entity comes back while its location emits it', async () => {
    const alpha = (await entity('component:default/alpha'))!;
    await client.removeEntityByUid(alpha.metadata.uid!, auth());
    const events: Array<{ type: string }> = await db.query(
      `SELECT type FROM entity_events WHERE entity_id = $1 ORDER BY id`,
      [alpha.metadata.uid],
    );
    expect(events.at(-1)?.type).toBe('deleted');
    const back = await eventually('alpha back with a new uid', async () => {
      const now = await entity('component:default/alpha');
      return now && now.metadata.uid !== alpha.metadata.uid ? now : undefined;
    });
    expect(back.metadata.name).toBe('alpha');
    // An unknown uid is no error, as in Backstage.
    await expect(
      client.removeEntityByUid('00000000-0000-4000-8000-000000000000', auth()),
    ).resolves.toBeUndefined();
  });

  it('analyzeLocation: existing descriptor files, or a Component to generate', async () => {
    const existing = await client.analyzeLocation(
      { location: { type: 'url', target: `${files.base}/org/repo` } },
      auth(),
    );
    expect(existing.generateEntities).toEqual([]);
    expect(
      existing.existingEntityFiles.map((f) => [f.entity.metadata.name, f.isRegistered, f.location]),
    ).toEqual([
      ['alpha', true, { type: 'url', target: target() }],
      ['more', true, { type: 'url', target: target() }],
    ]);
    const generated = await client.analyzeLocation(
      { location: { type: 'url', target: `${files.base}/org/fresh` } },
      auth(),
    );
    expect(generated.existingEntityFiles).toEqual([]);
    expect(generated.generateEntities[0]!.entity).toMatchObject({
      kind: 'Component',
      metadata: { name: 'fresh' },
    });
  });

  it('validateEntity: valid, and invalid with the problem named', async () => {
    const valid = (await entity('component:default/beta'))!;
    expect(await client.validateEntity(valid, `url:${target()}`, auth())).toEqual({ valid: true });
    const invalid = await client.validateEntity(
      { ...valid, metadata: { name: 'Bad Name!' } } as Entity,
      `url:${target()}`,
      auth(),
    );
    expect(invalid.valid).toBe(false);
    expect(JSON.stringify(invalid)).toContain('metadata.name');
  });

  it('updateLocation moves the location; its Location entity keeps its ref and uid, no second one appears', async () => {
    const own = (await entity(location.entityRef))!;
    const alpha = (await entity('component:default/alpha'))!;
    const other = `${files.base}/org/other.yaml`;
    const updated = await client.updateLocation(location.id, { type: 'url', target: other }, auth());
    expect(updated).toEqual({ id: location.id, type: 'url', target: other, entityRef: location.entityRef });
    expect(await client.getLocationById(location.id, auth())).toEqual(updated);
    expect(await client.getLocationByRef(`url:${other}`, auth())).toEqual(updated);
    expect(await client.getLocationByRef(`url:${target()}`, auth())).toBeUndefined();
    await eventually('gamma in', () => entity('component:default/gamma'));
    const moved = await eventually('the Location entity reads the new target', async () => {
      const now = await entity(location.entityRef);
      return now?.spec?.target === other ? now : undefined;
    });
    expect(moved.metadata.uid).toBe(own.metadata.uid);
    expect(moved.metadata.annotations?.['backstage.io/managed-by-location']).toBe(`url:${other}`);
    // One Location entity for the location, not a second one for the new target.
    const generated = await client.getEntities({ filter: { kind: 'Location' } }, auth());
    expect(
      generated.items.map((e) => e.metadata.name).filter((name) => name.startsWith('generated-')),
    ).toEqual([location.entityRef.split('/')[1]]);
    // alpha is in both files: the same entity (uid), now from the new target and not an orphan.
    const alphaNow = await eventually('alpha read from the new target', async () => {
      const now = await entity('component:default/alpha');
      return now?.metadata.annotations?.['backstage.io/managed-by-origin-location'] === `url:${other}`
        ? now
        : undefined;
    });
    expect(alphaNow.metadata.uid).toBe(alpha.metadata.uid);
    expect(alphaNow.metadata.annotations?.['backstage.io/orphan']).toBeUndefined();
    expect(await client.getLocationByEntity('component:default/gamma', auth())).toEqual(updated);
    // What only the old target held is orphaned, as when a Location entity's target changes.
    await eventually(
      'the nested Location of the old target orphaned',
      async () =>
        (await entity('location:default/more'))?.metadata.annotations?.['backstage.io/orphan'] === 'true',
    );
    await expect(
      client.updateLocation('00000000-0000-4000-8000-000000000000', { target: other }, auth()),
    ).rejects.toMatchObject({ response: { status: 404 } });
    location = updated;
  });

  it('removeLocationById: 204, and its entities vanish', async () => {
    await client.removeLocationById(location.id, auth());
    expect(await client.getLocationById(location.id, auth())).toBeUndefined();
    await eventually(
      'gamma, alpha and the Location entity gone',
      async () =>
        !(await entity('component:default/gamma')) &&
        !(await entity('component:default/alpha')) &&
        !(await entity(location.entityRef)),
    );
    await expect(client.removeLocationById(location.id, auth())).rejects.toMatchObject({
      response: { status: 404 },
    });
  });

  it('answers malformed input with 400 InputErrors naming the bad part', async () => {
    const post = (path: string, body: unknown) =>
      getJson(`${gateway.url}/api/catalog${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const cases: Array<[string, unknown, string]> = [
      ['/locations', { type: 'url', target: target(), extra: 1 }, "'extra'"],
      ['/locations', { type: 'url' }, 'target'],
      ['/locations', { type: 'url', target: target(), presence: 'sometimes' }, 'presence'],
      ['/locations?onConflict=ignore', { type: 'url', target: target() }, 'onConflict'],
      ['/locations?dryRun=perhaps', { type: 'url', target: target() }, 'dryRun'],
      ['/locations/by-query', { query: { owner: 'x' } }, "'owner'"],
      ['/locations/by-query', { limit: 0 }, 'limit'],
      ['/locations/by-query', { cursor: '!!!' }, 'cursor'],
      ['/refresh', { entityRef: 42 }, 'entityRef'],
      ['/analyze-location', { location: { type: 'url' } }, 'location.target'],
    ];
    for (const [path, body, named] of cases) {
      const res = await post(path, body);
      expect({ path, status: res.status, name: res.body?.error?.name }).toEqual({
        path,
        status: 400,
        name: 'InputError',
      });
      expect(res.body.error.message).toContain(named);
    }
  });
});
