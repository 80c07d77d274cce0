/**
 * Runtime custom kinds through real processes: two catalog replicas behind one gateway. A kind is
 * stored with `PUT /api/catalog/kinds/{kind}`, the other replica applies it within about a second,
 * entities of the kind are pushed and served by Backstage's CatalogClient like any other entity
 * (relations from the kind's mappings included), a stricter definition puts the error in
 * `status.items` while the last good version stays served, and removing the kind is refused while
 * entities of it exist.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CatalogClient } from '@backstage/catalog-client';
import pg from 'pg';
import type { Entity } from '@portal/catalog-model';
import {
  dropTestDatabases,
  getJson,
  PortalProcess,
  portalTestEnv,
  testDatabasePrefix,
  testDatabaseUrl,
  waitFor,
} from '../../../test/support/portal-process.js';

const prefix = testDatabasePrefix();
const token = 'custom-kinds-test-token-0123456789abc';

const widgetKind = (specSchema: Record<string, unknown>) => ({
  apiVersion: ['example.com/v1'],
  kind: 'Widget',
  description: 'A thing on a dashboard',
  specSchema,
  relations: [{ field: 'spec.owner', type: 'ownedBy', inverse: 'ownerOf', defaultKind: 'Group' }],
});
const loose = widgetKind({
  type: 'object',
  required: ['owner'],
  properties: { owner: { type: 'string', minLength: 1 }, tier: { type: 'string' } },
});
const strict = widgetKind({ ...loose.specSchema, required: ['owner', 'tier'] });

const widget = (name: string, spec: NonNullable<Entity['spec']> = { owner: 'team-a' }): Entity => ({
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: { name },
  spec,
});

describe('runtime custom kinds', () => {
  let gateway: PortalProcess;
  let replicas: PortalProcess[];
  let client: CatalogClient;
  let db: pg.Client;
  // A descriptor of a kind nobody has defined yet, read from a configured file location.
  const files = mkdtempSync(join(tmpdir(), 'portal-kinds-'));
  writeFileSync(
    join(files, 'things.yaml'),
    ['apiVersion: example.com/v1', 'kind: Thing', 'metadata:', '  name: t1', 'spec:', '  size: 3', ''].join(
      '\n',
    ),
  );

  beforeAll(async () => {
    const { env, gatewayPorts } = await portalTestEnv({
      prefix,
      overrides: {
        APP_CONFIG_backend_auth_externalAccess: JSON.stringify([
          { type: 'static', options: { token, subject: 'ci' } },
        ]),
        APP_CONFIG_catalog_providers_push: JSON.stringify([{ name: 'ci', allow: ['ci'] }]),
        APP_CONFIG_catalog_kinds: JSON.stringify([
          { apiVersion: 'example.com/v1', kind: 'Gadget', specSchema: { type: 'object' } },
        ]),
        APP_CONFIG_catalog_locations: JSON.stringify([{ type: 'file', target: join(files, 'things.yaml') }]),
        APP_CONFIG_catalog_fileRoots: JSON.stringify([files]),
        APP_CONFIG_catalog_rules: JSON.stringify([{ allow: ['Component', 'API', 'Location', 'Thing'] }]),
        APP_CONFIG_catalog_processing_pollingInterval: JSON.stringify({ milliseconds: 100 }),
        APP_CONFIG_catalog_stitchingStrategy: JSON.stringify({
          settleTime: { milliseconds: 50 },
          bulkSettleTime: { milliseconds: 100 },
          pollingInterval: { milliseconds: 100 },
        }),
      },
    });
    gateway = await PortalProcess.start('gateway', env, gatewayPorts);
    replicas = [await PortalProcess.start('catalog', env), await PortalProcess.start('catalog', env)];
    for (const replica of replicas) {
      await waitFor(
        `catalog replica ${replica.httpPort} ready`,
        async () => (await getJson(`${replica.url}/.backstage/health/v1/readiness`)).status === 200,
        60_000,
      );
    }
    client = new CatalogClient({
      discoveryApi: { getBaseUrl: async (pluginId: string) => `${gateway.url}/api/${pluginId}` },
      fetchApi: { fetch: (input, init) => fetch(input, init) },
    });
    const url = new URL(testDatabaseUrl);
    url.pathname = `/${prefix}catalog`;
    db = new pg.Client({ connectionString: url.toString() });
    await db.connect();
  }, 120_000);

  afterAll(async () => {
    await db?.end();
    await Promise.all([gateway?.stop(), ...(replicas ?? []).map((r) => r.stop())]);
    await dropTestDatabases(prefix);
    rmSync(files, { recursive: true, force: true });
  });

  const call = (base: string, method: string, path: string, body?: unknown) =>
    getJson(`${base}/api/catalog${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  const push = (entities: Entity[]) =>
    call(gateway.url, 'POST', '/push/ci', { type: 'full', entities: entities.map((entity) => ({ entity })) });
  const served = () => client.getEntityByRef('widget:default/w1', { token });
  /** The processing errors the catalog shows on a served entity. */
  const statusItems = (entity: object | undefined) =>
    (entity as { status?: { items?: unknown[] } } | undefined)?.status?.items ?? [];

  /** Waits until every replica serves the kind with this schema (or none), and returns how long it took. */
  async function replicasSee(required: string[] | undefined, timeoutMs = 1500): Promise<number> {
    const started = Date.now();
    await waitFor(
      `both replicas see Widget ${required ? `requiring ${required.join()}` : 'removed'}`,
      async () => {
        for (const replica of replicas) {
          const res = await call(replica.url, 'GET', '/kinds/widget');
          if (
            required === undefined
              ? res.status !== 404
              : res.body?.definition?.specSchema?.required?.join() !== required.join()
          )
            return false;
        }
        return true;
      },
      timeoutMs,
      25,
    );
    return Date.now() - started;
  }

  it('lists built-in and configured kinds with their origin; 404 for an unknown kind', async () => {
    const res = await call(gateway.url, 'GET', '/kinds');
    expect(res.status).toBe(200);
    const origins = Object.fromEntries(
      res.body.items.map((k: { origin: string; definition: { kind: string } }) => [
        k.definition.kind,
        k.origin,
      ]),
    );
    expect(origins).toMatchObject({ Component: 'builtin', Location: 'builtin', Gadget: 'config' });
    expect((await call(gateway.url, 'GET', '/kinds/widget')).status).toBe(404);
    expect((await call(gateway.url, 'DELETE', '/kinds/component')).status).toBe(409);
    expect((await call(gateway.url, 'DELETE', '/kinds/Gadget')).status).toBe(409);
    expect((await call(gateway.url, 'PUT', '/kinds/API', { ...loose, kind: 'API' })).status).toBe(409);
  });

  it('stores a kind on one replica; the other applies it within about a second', async () => {
    const bad = await call(replicas[0]!.url, 'PUT', '/kinds/Widget', {
      ...loose,
      relations: [{ field: 'owner' }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('relations.0');

    const res = await call(replicas[0]!.url, 'PUT', '/kinds/Widget', loose);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      origin: 'api',
      definition: { kind: 'Widget', apiVersion: ['example.com/v1'] },
    });
    expect(await replicasSee(['owner'])).toBeLessThan(1500);
    expect((await call(replicas[1]!.url, 'PUT', '/kinds/Widget', loose)).status).toBe(200);
  });

  it('ingests entities of the kind; CatalogClient serves them with their relations', async () => {
    expect((await push([widget('w1')])).body).toMatchObject({ added: 1 });
    const entity = await waitFor('w1 served', served, 20_000);
    expect(entity).toMatchObject({ kind: 'Widget', metadata: { name: 'w1', namespace: 'default' } });
    expect(entity.relations).toEqual([{ type: 'ownedBy', targetRef: 'group:default/team-a' }]);
    const { items } = await client.getEntities({ filter: { kind: 'widget' } }, { token });
    expect(items.map((e) => e.metadata.name)).toEqual(['w1']);
    const facets = await client.getEntityFacets({ facets: ['kind'] }, { token });
    expect(facets.facets.kind).toEqual(expect.arrayContaining([{ value: 'Widget', count: 1 }]));

    const invalid = await push([widget('w1'), widget('w2', { owner: '' })]);
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.message).toMatch(
      /entities\[1\] \(widget:default\/w2\) is invalid: spec\.owner/,
    );
    const validated = await client.validateEntity(widget('w3', {}), 'url:https://example.com/x.yaml', {
      token,
    });
    expect(validated.valid).toBe(false);
  });

  it('a stricter definition re-processes the entities: the error shows, the last good version stays', async () => {
    expect((await call(gateway.url, 'PUT', '/kinds/Widget', strict)).status).toBe(200);
    await replicasSee(['owner', 'tier']);
    const failing = await waitFor(
      'w1 with an error in status.items',
      async () => {
        const entity = await served();
        return statusItems(entity).length ? entity : undefined;
      },
      10_000,
    );
    expect(JSON.stringify(statusItems(failing))).toContain('tier');
    expect(failing.spec).toEqual({ owner: 'team-a' });

    expect((await call(gateway.url, 'PUT', '/kinds/Widget', loose)).status).toBe(200);
    await waitFor('w1 without errors', async () => !statusItems(await served()).length, 10_000);
  });

  it('processes an entity that failed for want of its kind again as soon as the kind is stored', async () => {
    const errors = async () =>
      (
        await db.query<{ errors: unknown }>(
          `SELECT errors FROM refresh_state WHERE entity_ref = 'thing:default/t1'`,
        )
      ).rows[0]?.errors;
    await waitFor(
      't1 failed as an unknown kind',
      async () => JSON.stringify(await errors()).includes('unknown kind'),
      20_000,
    );
    expect(await client.getEntityByRef('thing:default/t1', { token })).toBeUndefined();

    const thing = {
      apiVersion: 'example.com/v1',
      kind: 'Thing',
      specSchema: { type: 'object', properties: { size: { type: 'integer' } } },
    };
    expect((await call(gateway.url, 'PUT', '/kinds/Thing', thing)).status).toBe(201);
    // The processing interval is the default 100 s: only the rescheduling makes this quick.
    const entity = await waitFor(
      't1 served',
      () => client.getEntityByRef('thing:default/t1', { token }),
      10_000,
    );
    expect(entity.spec).toEqual({ size: 3 });
    expect((await call(gateway.url, 'DELETE', '/kinds/Thing')).status).toBe(409);
  });

  it('refuses to remove the kind while entities of it exist (409), removes it after (204)', async () => {
    const refused = await call(gateway.url, 'DELETE', '/kinds/widget');
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining('1 entity'),
    });
    expect((await call(gateway.url, 'GET', '/kinds/Widget')).status).toBe(200);

    expect((await push([])).body).toMatchObject({ deleted: 1 });
    await waitFor('w1 gone', async () => (await served()) === undefined, 10_000);
    expect((await call(replicas[1]!.url, 'DELETE', '/kinds/widget')).status).toBe(204);
    expect(await replicasSee(undefined)).toBeLessThan(1500);
    expect((await call(gateway.url, 'DELETE', '/kinds/widget')).status).toBe(404);
    expect((await push([widget('w1')])).status).toBe(400);
  });
});
