import { pino } from 'pino';
import { fakePluginHttp, json, startLoopback, type Loopback } from '../testing/loopback.js';
import { parseMetadata, PermissionRegistry } from './permission-registry.js';

const logger = pino({ level: 'silent' });
const catalogMetadata = {
  permissions: [
    {
      type: 'resource',
      name: 'catalog.entity.read',
      attributes: { action: 'read' },
      resourceType: 'catalog-entity',
    },
    { type: 'basic', name: 'catalog.entity.create', attributes: { action: 'create' } },
  ],
  rules: [
    {
      name: 'IS_ENTITY_OWNER',
      description: 'owner',
      resourceType: 'catalog-entity',
      paramsSchema: { type: 'object' },
    },
  ],
};

describe('PermissionRegistry', () => {
  let plugins: Loopback;
  beforeAll(async () => {
    plugins = await startLoopback((req, _body, res) => {
      if (req.url === '/api/catalog/.well-known/backstage/permissions/metadata')
        return json(res, 200, catalogMetadata);
      if (req.url === '/api/search/.well-known/backstage/permissions/metadata')
        return json(res, 200, 'not metadata');
      return json(res, 404, { error: { name: 'NotFoundError' } });
    });
  });
  afterAll(() => plugins.close());

  it('collects the metadata of every plugin as a service, skipping plugins that serve none', async () => {
    let changes = 0;
    const registry = new PermissionRegistry({
      http: fakePluginHttp(plugins.url, ['catalog', 'search', 'techdocs']),
      logger,
      onChange: () => changes++,
    });
    await registry.discover(true);
    expect(registry.list()).toEqual([
      { pluginId: 'catalog', ...catalogMetadata, fetchedAt: expect.any(String) },
    ]);
    expect(registry.rulesFor('catalog-entity')!.map((r) => r.name)).toEqual(['IS_ENTITY_OWNER']);
    expect(registry.rulesFor('scaffolder-template')).toBeUndefined();
    expect(registry.pluginIdFor('catalog-entity')).toBe('catalog');
    expect(changes).toBe(1);
    const auth = plugins.requests.find((r) => r.url?.startsWith('/api/catalog/'))!.authorization;
    expect(auth).toBe('Bearer service-token-for-catalog');

    // Only new plugins are asked between full refreshes; unchanged metadata is no change.
    plugins.requests.length = 0;
    await registry.discover(false);
    expect(plugins.requests).toHaveLength(0);
    await registry.discover(true);
    expect(changes).toBe(1);
  });

  it('forgets plugins that left and survives discovery failures', async () => {
    let ids = ['catalog'];
    const registry = new PermissionRegistry({
      http: {
        ...fakePluginHttp(plugins.url),
        plugins: async () => (ids.length ? ids : Promise.reject(new Error('gateway down'))),
      },
      logger,
    });
    await registry.discover(true);
    expect(registry.list()).toHaveLength(1);
    ids = [];
    await registry.discover(false); // discovery fails: keep what we know
    expect(registry.list()).toHaveLength(1);
    ids = ['search'];
    await registry.discover(false);
    expect(registry.list()).toEqual([]);
  });

  it('keeps only well-formed permissions and rules', () => {
    expect(
      parseMetadata({
        permissions: [{ type: 'resource', name: 'x' }, { type: 'basic', name: 'y', attributes: {} }, 'z'],
        rules: [{ name: 'R', resourceType: 't', paramsSchema: [] }, { name: 'S' }],
      }),
    ).toEqual({
      permissions: [{ type: 'basic', name: 'y', attributes: {} }],
      rules: [{ name: 'R', resourceType: 't' }],
    });
    expect(parseMetadata(null)).toBeUndefined();
  });
});
