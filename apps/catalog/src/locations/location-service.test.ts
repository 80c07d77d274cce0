/**
 * LocationService, LocationAnalyzer and EntityMutations on a real engine (processing driven by
 * hand) and a local HTTP server serving the descriptor files.
 */
import { KindRegistry } from '@portal/catalog-model';
import { Config, FileReader } from '@portal/platform';
import type { CatalogEngine } from '../processing/catalog-engine.js';
import { CatalogRules } from '../processing/catalog-rules.js';
import { EntityProcessor } from '../processing/entity-processor.js';
import { LocationProcessor } from '../processing/location-processor.js';
import { entityEvents, finalEntities, silentLogger, testEngine } from '../processing/testing/fixtures.js';
import { startFileServer, type FileServer } from '../processing/testing/http-server.js';
import { truncateAll, useTestDatabase } from '../processing/testing/seed.js';
import { LocationDryRun } from './dry-run.js';
import { EntityMutations } from './entity-mutations.js';
import { LocationAnalyzer } from './location-analyzer.js';
import { LocationService } from './location-service.js';

const yaml = (...docs: string[]) => docs.join('\n---\n');
/** Entities a location stops reading when it is moved: orphaned (orphanStrategy keep), not deleted. */
const ORPHANED_BY_UPDATE = ['component:default/alpha', 'component:default/beta', 'location:default/more'];
const componentDoc = (name: string) => `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
spec:
  type: service
  lifecycle: production
  owner: team-a`;

describe('LocationService, LocationAnalyzer and EntityMutations', () => {
  const db = useTestDatabase();
  let server: FileServer;
  let engine: CatalogEngine;
  let service: LocationService;
  let analyzer: LocationAnalyzer;
  let mutations: EntityMutations;

  beforeAll(async () => {
    server = await startFileServer();
  });
  afterAll(() => server.close());

  beforeEach(async () => {
    await truncateAll(db().dataSource);
    server.files.clear();
    server.files.set(
      '/org/repo/catalog-info.yaml',
      yaml(
        componentDoc('alpha'),
        `apiVersion: backstage.io/v1alpha1
kind: Location
metadata:
  name: more
spec:
  targets: [./more.yaml]`,
      ),
    );
    server.files.set('/org/repo/more.yaml', componentDoc('beta'));
    engine = testEngine(db().dataSource, {
      urlReader: server.reader,
      settings: { processingEnabled: false },
    });
    await engine.start();
    const dryRun = new LocationDryRun(
      new EntityProcessor({
        kinds: new KindRegistry(),
        locations: new LocationProcessor({
          urlReader: server.reader,
          fileReader: new FileReader([]),
          rules: CatalogRules.fromConfig(Config.fromObject({})),
          logger: silentLogger(),
        }),
      }),
      { maxDepth: 3 },
    );
    const dataSource = db().dataSource;
    service = new LocationService({ dataSource, provider: engine.locations, dryRun });
    analyzer = new LocationAnalyzer({ dataSource, provider: engine.locations, locations: service, dryRun });
    mutations = new EntityMutations({ dataSource, engine });
  });
  afterEach(() => engine.stop());

  const target = () => `${server.base}/org/repo/catalog-info.yaml`;
  const refs = async () => [...(await finalEntities(db().dataSource)).keys()];

  it('dry run: processes the location and its nested Locations, writes nothing, says whether it exists', async () => {
    const dry = await service.createLocation(
      { type: 'url', target: target() },
      { dryRun: true, onConflict: 'reject' },
    );
    expect(dry.location).toMatchObject({ id: `url:${target()}`, type: 'url', target: target() });
    expect(dry.exists).toBe(false);
    expect(dry.entities.map((e) => `${e.kind}:${e.metadata.namespace}/${e.metadata.name}`)).toEqual([
      `Location:default/${dry.location.entityRef.split('/')[1]}`,
      'Component:default/alpha',
      'Location:default/more',
      'Component:default/beta',
    ]);
    expect(dry.entities[1]!.metadata.annotations?.['backstage.io/managed-by-origin-location']).toBe(
      `url:${target()}`,
    );
    expect(await service.listLocations()).toEqual([]);
    expect((await db().dataSource.query('SELECT count(*)::int AS n FROM refresh_state'))[0].n).toBe(0);

    await service.createLocation({ type: 'url', target: target() }, { dryRun: false, onConflict: 'reject' });
    const again = await service.createLocation(
      { type: 'url', target: target() },
      { dryRun: true, onConflict: 'reject' },
    );
    expect(again.exists).toBe(true);
  });

  it('dry run: a missing or broken target, a duplicate entity and too deep nesting are InputErrors', async () => {
    const dry = (t: string) =>
      service.createLocation({ type: 'url', target: t }, { dryRun: true, onConflict: 'reject' });
    await expect(dry(`${server.base}/nope.yaml`)).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('NotFoundError'),
    });
    server.files.set('/broken.yaml', 'kind: [');
    await expect(dry(`${server.base}/broken.yaml`)).rejects.toMatchObject({ name: 'InputError' });
    server.files.set(
      '/dup.yaml',
      yaml(
        componentDoc('x'),
        `apiVersion: backstage.io/v1alpha1
kind: Location
metadata: {name: again}
spec: {targets: [./dup2.yaml]}`,
      ),
    );
    server.files.set('/dup2.yaml', componentDoc('x'));
    await expect(dry(`${server.base}/dup.yaml`)).rejects.toMatchObject({
      message: 'Duplicate nested entity: component:default/x',
    });
    server.files.set(
      '/loop.yaml',
      `apiVersion: backstage.io/v1alpha1
kind: Location
metadata: {name: loop1}
spec: {targets: [./loop2.yaml]}`,
    );
    server.files.set(
      '/loop2.yaml',
      `apiVersion: backstage.io/v1alpha1
kind: Location
metadata: {name: loop2}
spec: {targets: [./loop.yaml]}`,
    );
    await expect(dry(`${server.base}/loop.yaml`)).rejects.toMatchObject({ name: 'InputError' });
  });

  it('registers, refuses duplicates (unless refresh) and other types, updates and removes', async () => {
    const created = await service.createLocation(
      { type: 'url', target: target() },
      { dryRun: false, onConflict: 'reject' },
    );
    expect(created).toEqual({
      location: expect.objectContaining({ type: 'url', target: target() }),
      entities: [],
    });
    await expect(
      service.createLocation({ type: 'url', target: target() }, { dryRun: false, onConflict: 'reject' }),
    ).rejects.toMatchObject({ name: 'ConflictError' });
    const refreshed = await service.createLocation(
      { type: 'url', target: target() },
      { dryRun: false, onConflict: 'refresh' },
    );
    expect(refreshed).toEqual({ location: created.location, entities: [], exists: true });
    await expect(
      service.createLocation(
        { type: 'file', target: '/etc/passwd' },
        { dryRun: false, onConflict: 'reject' },
      ),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: 'Registered locations must be of an allowed type ["url"]',
    });
    await expect(
      service.createLocation(
        { type: 'url', target: 'https://elsewhere.example.com/a.yaml' },
        { dryRun: true, onConflict: 'reject' },
      ),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });

    await engine.processPending();
    expect(await refs()).toEqual(
      expect.arrayContaining(['component:default/alpha', 'component:default/beta']),
    );
    expect((await service.getLocationByEntity('component:default/beta')).id).toBe(created.location.id);
    await expect(service.getLocationByEntity('component:default/nope')).rejects.toMatchObject({
      name: 'NotFoundError',
    });

    server.files.set('/org/other.yaml', componentDoc('gamma'));
    const updated = await service.updateLocation(created.location.id, {
      type: 'url',
      target: `${server.base}/org/other.yaml`,
    });
    expect(updated).toEqual({ ...created.location, target: `${server.base}/org/other.yaml` });
    expect(await service.getLocation(created.location.id)).toEqual(updated);
    await engine.processPending();
    expect((await refs()).filter((r) => r.startsWith('component:'))).toEqual(
      expect.arrayContaining(['component:default/gamma']),
    );
    await expect(
      service.updateLocation('00000000-0000-4000-8000-000000000000', { type: 'url', target: target() }),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
    });

    await service.deleteLocation(created.location.id);
    await engine.processPending();
    // What the location still brought in is gone; what it stopped reading was orphaned before.
    expect((await refs()).filter((ref) => !ORPHANED_BY_UPDATE.includes(ref))).toEqual([]);
    await expect(service.getLocation(created.location.id)).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it('updates a location without changing its Location entity: same ref, same uid, shared entities kept', async () => {
    const { location } = await service.createLocation(
      { type: 'url', target: target() },
      { dryRun: false, onConflict: 'reject' },
    );
    await engine.processPending();
    const before = await finalEntities(db().dataSource);
    const moved = `${server.base}/org/moved.yaml`;
    server.files.set('/org/moved.yaml', yaml(componentDoc('alpha'), componentDoc('gamma')));

    const updated = await service.updateLocation(location.id, { type: 'url', target: moved });
    expect(updated).toEqual({ id: location.id, type: 'url', target: moved, entityRef: location.entityRef });
    expect(await service.listLocations()).toEqual([updated]);
    await engine.processPending();
    const after = await finalEntities(db().dataSource);

    const own = after.get(location.entityRef);
    expect(own?.metadata.uid).toBe(before.get(location.entityRef)?.metadata.uid);
    expect(own?.spec).toEqual({ type: 'url', target: moved });
    expect(own?.metadata.annotations?.['backstage.io/managed-by-location']).toBe(`url:${moved}`);
    expect([...after.keys()].filter((ref) => ref.startsWith('location:default/generated-'))).toEqual([
      location.entityRef,
    ]);
    // alpha is in both files: the same entity, now read from the new target.
    const alpha = after.get('component:default/alpha');
    expect(alpha?.metadata.uid).toBe(before.get('component:default/alpha')?.metadata.uid);
    expect(alpha?.metadata.annotations?.['backstage.io/managed-by-origin-location']).toBe(`url:${moved}`);
    expect(
      after.get('component:default/gamma')?.metadata.annotations?.['backstage.io/managed-by-location'],
    ).toBe(`url:${moved}`);
    // The nested Location only the old file held is an orphan, as when a Location stops emitting a child.
    expect(after.get('location:default/more')?.metadata.annotations?.['backstage.io/orphan']).toBe('true');
    expect(alpha?.metadata.annotations?.['backstage.io/orphan']).toBeUndefined();
    expect((await service.getLocationByEntity('component:default/gamma')).entityRef).toBe(location.entityRef);

    // The old target can be registered again: its natural ref is taken, so it gets another one.
    const again = await service.createLocation(
      { type: 'url', target: target() },
      { dryRun: false, onConflict: 'reject' },
    );
    expect(again.location.entityRef).toMatch(/^location:default\/generated-[0-9a-f]{40}$/);
    expect(again.location.entityRef).not.toBe(location.entityRef);
    const dry = await service.createLocation(
      { type: 'url', target: target() },
      { dryRun: true, onConflict: 'reject' },
    );
    expect(dry).toMatchObject({ exists: true, location: { entityRef: again.location.entityRef } });
  });

  it('queries locations with predicates and cursors', async () => {
    for (const n of [1, 2, 3]) {
      server.files.set(`/q/${n}.yaml`, '');
      await service.createLocation(
        { type: 'url', target: `${server.base}/q/${n}.yaml` },
        { dryRun: false, onConflict: 'reject' },
      );
    }
    const first = await service.queryLocations({
      limit: 2,
      query: { target: { $hasPrefix: `${server.base.toUpperCase()}/Q/` } },
    });
    expect(first.totalItems).toBe(3);
    expect(first.items).toHaveLength(2);
    expect(first.pageInfo.nextCursor).toBeDefined();
    const { parseLocationQueryRequest } = await import('./location-query.js');
    const second = await service.queryLocations(
      parseLocationQueryRequest({ cursor: first.pageInfo.nextCursor }),
    );
    expect(second.items).toHaveLength(1);
    expect(second.pageInfo).toEqual({});
    expect(new Set([...first.items, ...second.items].map((l) => l.id)).size).toBe(3);
  });

  it('deletes an entity by uid with a deleted event; its parent emits it again; ancestry walks up', async () => {
    const { location } = await service.createLocation(
      { type: 'url', target: target() },
      { dryRun: false, onConflict: 'reject' },
    );
    await engine.processPending();
    const beta = (await finalEntities(db().dataSource)).get('component:default/beta')!;

    const ancestry = await mutations.ancestry('component:default/BETA');
    expect(ancestry.rootEntityRef).toBe('component:default/beta');
    expect(
      ancestry.items.map((i) => [`${i.entity.kind}:${i.entity.metadata.name}`, i.parentEntityRefs]),
    ).toEqual([
      ['Component:beta', ['location:default/more']],
      ['Location:more', [location.entityRef]],
      [`Location:${location.entityRef.split('/')[1]}`, []],
    ]);
    await expect(mutations.ancestry('component:default/nope')).rejects.toMatchObject({
      name: 'NotFoundError',
    });

    const result = await mutations.deleteByUid(beta.metadata.uid!);
    expect(result).toEqual({ deleted: ['component:default/beta'], parents: ['location:default/more'] });
    expect(await refs()).not.toContain('component:default/beta');
    const events = await entityEvents(db().dataSource);
    expect(events.at(-1)).toMatchObject({ entityRef: 'component:default/beta', type: 'deleted' });
    expect(
      await db().dataSource.query(
        `SELECT 1 FROM relations WHERE source_entity_ref = 'component:default/beta'`,
      ),
    ).toEqual([]);

    await engine.processPending();
    const back = (await finalEntities(db().dataSource)).get('component:default/beta');
    expect(back).toBeDefined();
    expect(back!.metadata.uid).not.toBe(beta.metadata.uid);

    // Unknown and malformed uids delete nothing.
    expect(await mutations.deleteByUid(beta.metadata.uid!)).toEqual({ deleted: [], parents: [] });
    expect(await mutations.deleteByUid('not-a-uid')).toEqual({ deleted: [], parents: [] });
  });

  it('refresh: unknown entity NotFoundError, bad ref InputError', async () => {
    await expect(mutations.refresh('component:default/nope')).rejects.toMatchObject({
      name: 'NotFoundError',
    });
    await expect(mutations.refresh('')).rejects.toMatchObject({ name: 'InputError' });
  });

  it('analyze-location: existing descriptor files, or a Component to generate', async () => {
    const existing = await analyzer.analyze({ location: { type: 'url', target: `${server.base}/org/repo` } });
    expect(existing.generateEntities).toEqual([]);
    expect(
      existing.existingEntityFiles.map((f) => [f.entity.metadata.name, f.isRegistered, f.location.target]),
    ).toEqual([
      ['alpha', false, target()],
      ['more', false, target()],
    ]);
    const generated = await analyzer.analyze({
      location: { type: 'url', target: `${server.base}/org/new-repo.git` },
    });
    expect(generated).toEqual({
      existingEntityFiles: [],
      generateEntities: [
        {
          entity: {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: { name: 'new-repo' },
            spec: { type: 'other', lifecycle: 'unknown' },
          },
          fields: [],
        },
      ],
    });
    await expect(
      analyzer.analyze({ location: { type: 'url', target: 'https://elsewhere.example.com/r' } }),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
  });
});
