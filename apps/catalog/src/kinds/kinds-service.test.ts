import { KindRegistry } from '@portal/catalog-model';
import type { Principal } from '@portal/platform';
import pino from 'pino';
import { seedEntities, truncateAll, useTestDatabase } from '../processing/testing/seed.js';
import { SubjectAllowList } from '../push/subject-allow-list.js';
import { KindSync } from './kind-sync.js';
import { KindsService } from './kinds-service.js';
import { clearKinds, widget } from './testing/stored-kinds.js';

const logger = pino({ level: 'silent' });
const ci: Principal = { type: 'external', subject: 'external:ci' };
const jane: Principal = {
  type: 'user',
  userEntityRef: 'user:default/jane',
  ownershipEntityRefs: [],
  token: 't',
};

describe('KindsService', () => {
  const db = useTestDatabase();
  let registry: KindRegistry;
  let sync: KindSync;

  beforeEach(async () => {
    await clearKinds(db().dataSource);
    await truncateAll(db().dataSource);
    registry = new KindRegistry();
    registry.register({ ...widget(), kind: 'Configured' });
    sync = new KindSync({
      dataSource: db().dataSource,
      registry,
      configured: new Set(['configured']),
      logger,
    });
  });
  afterEach(() => sync.stop());

  function service(writers?: string[]) {
    return new KindsService({
      dataSource: db().dataSource,
      registry,
      configured: new Set(['configured']),
      sync,
      logger,
      writers: writers ? new SubjectAllowList(writers) : undefined,
      refreshDelayMs: 0,
    });
  }

  it('stores a kind (201), replaces it (200) and lists every kind with its origin', async () => {
    const kinds = service();
    const created = await kinds.put(
      'widget',
      { apiVersion: 'example.com/v1', specSchema: { type: 'object' } },
      ci,
    );
    expect(created.created).toBe(true);
    expect(created.view).toMatchObject({
      origin: 'api',
      definition: { kind: 'widget', apiVersion: ['example.com/v1'] },
    });
    expect(created.view.createdAt).toEqual(expect.any(String));
    expect(registry.get('widget')).toBeDefined();

    const again = await kinds.put('widget', {
      kind: 'widget',
      apiVersion: 'example.com/v1',
      specSchema: { type: 'object' },
    });
    expect(again.created).toBe(false);
    const replaced = await kinds.put('WIDGET', {
      kind: 'widget',
      apiVersion: 'example.com/v2',
      specSchema: { type: 'object' },
    });
    expect(replaced).toMatchObject({
      created: false,
      view: { definition: { apiVersion: ['example.com/v2'] } },
    });

    const origins = Object.fromEntries(kinds.list().map((k) => [k.definition.kind, k.origin]));
    expect(origins).toMatchObject({
      Component: 'builtin',
      Template: 'builtin',
      Configured: 'config',
      widget: 'api',
    });
    expect(kinds.get('Widget').origin).toBe('api');
    expect(() => kinds.get('nothing')).toThrow(expect.objectContaining({ name: 'NotFoundError' }));
  });

  it('names the bad part of an invalid definition (400)', async () => {
    const kinds = service();
    await expect(
      kinds.put('Widget', { ...widget(), relations: [{ field: 'owner', type: 'x', inverse: 'y' }] }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('relations.0.field'),
    });
    await expect(kinds.put('Widget', { ...widget(), kind: 'Gadget' })).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('does not name the kind in the path'),
    });
    await expect(kinds.put('Widget', [])).rejects.toMatchObject({ name: 'InputError' });
    await expect(kinds.put('not a kind', widget())).rejects.toMatchObject({ name: 'InputError' });
    await expect(
      kinds.put('Widget', { ...widget(), specSchema: { $ref: 'http://x/y' } }),
    ).rejects.toMatchObject({
      message: expect.stringContaining('specSchema.$ref'),
    });
    expect(registry.get('Widget')).toBeUndefined();
  });

  it('refuses to redefine or remove built-in and configured kinds, and another spelling (409)', async () => {
    const kinds = service();
    await expect(kinds.put('component', { ...widget(), kind: 'component' })).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining('built in'),
    });
    await expect(kinds.put('Configured', { ...widget(), kind: 'Configured' })).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining('catalog.kinds'),
    });
    await expect(kinds.remove('Group')).rejects.toMatchObject({ name: 'ConflictError' });
    await expect(kinds.remove('configured')).rejects.toMatchObject({ name: 'ConflictError' });
    await kinds.put('Widget', widget());
    await expect(kinds.put('WIDGET', { ...widget(), kind: 'WIDGET' })).rejects.toMatchObject({
      name: 'ConflictError',
    });
  });

  it('refuses to remove a kind with entities (409), removes it without (204), 404 when unknown', async () => {
    const ds = db().dataSource;
    const kinds = service();
    await kinds.put('Widget', widget());
    await seedEntities(ds, [{ ref: 'widget:default/a' }]);
    await expect(kinds.remove('widget')).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining('1 entity of it'),
    });
    expect(registry.get('Widget')).toBeDefined();
    await truncateAll(ds);
    await kinds.remove('widget');
    expect(registry.get('Widget')).toBeUndefined();
    await expect(kinds.remove('widget')).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it('schedules the entities of a changed kind, not of an unchanged one', async () => {
    const ds = db().dataSource;
    const kinds = service();
    await seedEntities(ds, [{ ref: 'widget:default/a', nextUpdateIn: 100 }]);
    const due = async () =>
      Number((await ds.query('SELECT count(*) AS n FROM refresh_state WHERE next_update_at <= now()'))[0].n);
    await kinds.put('Widget', widget());
    expect(await due()).toBe(1);
    await ds.query(`UPDATE refresh_state SET next_update_at = now() + interval '100 seconds'`);
    await kinds.put('Widget', widget());
    expect(await due()).toBe(0);
  });

  it('lets only listed callers write when catalog.kindsApi.allow is set (403)', async () => {
    const kinds = service(['ci']);
    await expect(kinds.put('Widget', widget(), jane)).rejects.toMatchObject({ name: 'NotAllowedError' });
    await expect(kinds.remove('Widget', undefined)).rejects.toMatchObject({ name: 'NotAllowedError' });
    await expect(kinds.put('Widget', widget(), ci)).resolves.toMatchObject({ created: true });
  });
});
