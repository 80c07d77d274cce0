/**
 * The catalog's processing promises (THREATS.md, "Promises"), one by one, through the engine.
 */
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Entity } from '@portal/catalog-model';
import { Liveness } from '@portal/platform';
import type { EntityProvider } from '../ingestion/entity-provider.js';
import type { CatalogEngine } from './catalog-engine.js';
import {
  component,
  eventLog,
  finalEntities,
  group,
  makeAllDue,
  relationLines,
  stateOf,
  testEngine,
  waitFor,
} from './testing/fixtures.js';
import { truncateAll, useTestDatabase } from './testing/seed.js';
import { rowsWrittenSince, writeMark } from './testing/test-database.js';

const PUSH = { catalog: { providers: { push: [{ name: 'ci' }] } } };

describe('CatalogEngine', () => {
  const db = useTestDatabase();
  let engine: CatalogEngine;
  const engines: CatalogEngine[] = [];
  // Loops off by default: the tests drive processing and stitching step by step.
  const create = (options: Parameters<typeof testEngine>[1] = {}) => {
    const created = testEngine(db().dataSource, {
      config: PUSH,
      ...options,
      settings: { processingEnabled: false, ...options.settings },
    });
    engines.push(created);
    return created;
  };

  beforeEach(async () => {
    await truncateAll(db().dataSource);
    engine = create();
    await engine.start();
  });
  afterEach(async () => {
    for (const e of engines.splice(0)) await e.stop();
  });

  const push = (entities: Entity[], e = engine) =>
    e.push.applyMutation('ci', { type: 'full', entities: entities.map((entity) => ({ entity })) });

  describe('an entity is invisible until processed and stitched', () => {
    it('appears only after the stitcher wrote it', async () => {
      const ds = db().dataSource;
      await push([component('a'), group('team-a')]);
      expect((await finalEntities(ds)).size).toBe(0);
      await engine.processing.processOnce();
      expect((await finalEntities(ds)).size).toBe(0);
      await engine.stitching.stitchOnce();
      const finals = await finalEntities(ds);
      expect([...finals.keys()]).toEqual(['component:default/a', 'group:default/team-a']);
      expect(finals.get('component:default/a')!.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
      expect(finals.get('component:default/a')!.relations).toEqual([
        { type: 'ownedBy', targetRef: 'group:default/team-a' },
      ]);
      expect(finals.get('group:default/team-a')!.relations).toEqual([
        { type: 'ownerOf', targetRef: 'component:default/a' },
      ]);
    });

    it('never shows an entity that never processed successfully, but keeps its errors', async () => {
      const ds = db().dataSource;
      await push([{ ...component('bad'), spec: { type: 'service' } } as Entity]);
      await engine.processPending();
      expect((await finalEntities(ds)).size).toBe(0);
      const state = await stateOf(ds, 'component:default/bad');
      expect(state!.processed).toBeNull();
      expect(state!.errors![0]!.message).toMatch(/is invalid/);
      expect(await eventLog(ds)).toEqual([]);
    });
  });

  describe('a processing error never replaces the last good version', () => {
    it('keeps serving the last good entity with the error in status.items, until it is fixed', async () => {
      const ds = db().dataSource;
      await push([component('a', { lifecycle: 'production' })]);
      await engine.processPending();
      await push([{ ...component('a'), spec: { type: 'service', lifecycle: 'production' } } as Entity]);
      await engine.processPending();
      const broken = (await finalEntities(ds)).get('component:default/a')!;
      expect(broken.spec).toEqual({
        type: 'service',
        lifecycle: 'production',
        owner: 'group:default/team-a',
      });
      expect(broken.relations).toEqual([{ type: 'ownedBy', targetRef: 'group:default/team-a' }]);
      expect(broken.status!.items).toHaveLength(1);
      expect(broken.status!.items![0]).toMatchObject({
        type: 'backstage.io/catalog-processing',
        level: 'error',
      });
      expect(broken.status!.items![0]!.message).toMatch(
        /^InputError: Entity component:default\/a is invalid: spec.*owner/,
      );

      await push([component('a', { lifecycle: 'deprecated' })]);
      await engine.processPending();
      const fixed = (await finalEntities(ds)).get('component:default/a')!;
      expect(fixed.spec!.lifecycle).toBe('deprecated');
      expect(fixed.status).toBeUndefined();
      expect(await eventLog(ds)).toEqual([
        'component:default/a upserted',
        'component:default/a error',
        'component:default/a upserted',
      ]);
    });
  });

  describe('entities removed by their provider are deleted, with their relations', () => {
    it('deletes on a full mutation that leaves them out, and restitches the other end of their relations', async () => {
      const ds = db().dataSource;
      await push([component('a'), component('b'), group('team-a')]);
      await engine.processPending();
      expect(await relationLines(ds)).toContain('group:default/team-a ownerOf component:default/b');
      const summary = await push([component('a'), group('team-a')]);
      expect(summary).toEqual({ added: 0, updated: 0, deleted: 1, conflicts: [] });
      await engine.processPending();
      const finals = await finalEntities(ds);
      expect([...finals.keys()]).toEqual(['component:default/a', 'group:default/team-a']);
      expect(finals.get('group:default/team-a')!.relations).toEqual([
        { type: 'ownerOf', targetRef: 'component:default/a' },
      ]);
      expect((await relationLines(ds)).filter((line) => line.includes('component:default/b'))).toEqual([]);
      expect((await eventLog(ds)).slice(-2)).toEqual([
        'component:default/b deleted',
        'group:default/team-a upserted',
      ]);
    });

    it('deletes what a delta removes, by ref or by entity', async () => {
      const ds = db().dataSource;
      await push([component('a'), component('b'), group('team-a')]);
      await engine.processPending();
      await engine.push.applyMutation('ci', {
        type: 'delta',
        added: [],
        removed: [{ entityRef: 'Component:default/a' }, { entity: component('b') }],
      });
      await engine.processPending();
      expect([...(await finalEntities(ds)).keys()]).toEqual(['group:default/team-a']);
      expect(await relationLines(ds)).toEqual([]);
    });
  });

  describe('unchanged input writes nothing', () => {
    it('applying the same mutation again writes no row', async () => {
      const ds = db().dataSource;
      const entities = [component('a'), component('b', { dependsOn: ['component:a'] }), group('team-a')];
      await push(entities);
      await engine.processPending();
      const mark = await writeMark(ds);
      expect(await push(entities)).toEqual({ added: 0, updated: 0, deleted: 0, conflicts: [] });
      const written = await rowsWrittenSince(ds, mark);
      for (const table of Object.keys(written)) expect([table, written[table]!.written]).toEqual([table, 0]);
    });

    it('re-processing unchanged entities rewrites nothing but the claim itself', async () => {
      const ds = db().dataSource;
      await push([component('a'), component('b', { dependsOn: ['component:a'] }), group('team-a')]);
      await engine.processPending();
      const events = (await eventLog(ds)).length;
      await makeAllDue(ds);
      const mark = await writeMark(ds);
      expect(await engine.processPending()).toEqual({ processed: 3, stitched: 0 });
      const written = await rowsWrittenSince(ds, mark);
      expect(written).toEqual({
        // The claim moves next_update_at (the lease); nothing else about the row changes.
        refresh_state: { written: 3, total: 3 },
        refresh_state_references: { written: 0, total: 3 },
        relations: { written: 0, total: 6 },
        final_entities: { written: 0, total: 3 },
        entity_events: { written: 0, total: events },
      });
      expect(engine.stats.unchanged).toBe(3);
    });
  });

  describe('the outbox', () => {
    it('has exactly one event per visible change, in per-entity order', async () => {
      const ds = db().dataSource;
      await push([component('a'), group('team-a')]);
      await engine.processPending();
      await push([component('a', { lifecycle: 'experimental' }), group('team-a')]);
      await engine.processPending();
      await push([component('a', { lifecycle: 'experimental' }), group('team-a')]);
      await engine.processPending();
      await push([group('team-a')]);
      await engine.processPending();
      const log = await eventLog(ds);
      const perEntity = (ref: string) => log.filter((line) => line.startsWith(ref));
      expect(perEntity('component:default/a')).toEqual([
        'component:default/a upserted',
        'component:default/a upserted',
        'component:default/a deleted',
      ]);
      expect(perEntity('group:default/team-a')).toEqual([
        'group:default/team-a upserted',
        'group:default/team-a upserted',
      ]);
      const events: Array<{ type: string; final_entity: Entity | null; source: string | null }> =
        await ds.query(
          `SELECT type, final_entity, source FROM entity_events WHERE entity_ref = 'component:default/a' ORDER BY id`,
        );
      expect(events[1]!.final_entity!.spec!.lifecycle).toBe('experimental');
      expect(events[2]!.final_entity).toBeNull();
      expect(events.map((e) => e.source)).toEqual(['push:ci', 'push:ci', 'push:ci']);
    });
  });

  describe('refresh', () => {
    it('schedules an immediate re-process of a known entity and refuses unknown ones', async () => {
      const ds = db().dataSource;
      await push([component('a'), group('team-a')]);
      await engine.processPending();
      expect((await engine.processPending()).processed).toBe(0);
      await engine.refresh('component:a');
      expect((await engine.processPending()).processed).toBe(1);
      await expect(engine.refresh('component:default/nope')).rejects.toMatchObject({ name: 'NotFoundError' });
      await expect(engine.refresh('no-kind')).rejects.toMatchObject({ name: 'InputError' });
      expect(ds.isInitialized).toBe(true);
    });
  });

  describe('running', () => {
    it('processes and stitches in the background once started, and reports liveness per loop', async () => {
      const liveness = new Liveness();
      const running = create({ extra: { liveness }, settings: { processingEnabled: true } });
      await running.start();
      await push([component('a'), group('team-a')], running);
      await waitFor(async () => (await finalEntities(db().dataSource)).size === 2, 20_000, 'final entities');
      expect(liveness.stalled()).toEqual([]);
      await running.stop();
      expect(liveness.stalled()).toEqual([]);
    });

    it('runs no loop on an API-only replica, while its providers still write', async () => {
      const liveness = new Liveness();
      const apiOnly = create({
        config: { catalog: { ...PUSH.catalog, processing: { enabled: false } } },
        extra: { liveness },
      });
      await apiOnly.start();
      await push([component('a')], apiOnly);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const rows: Array<{ processed: boolean }> = await db().dataSource.query(
        'SELECT processed_entity IS NOT NULL AS processed FROM refresh_state',
      );
      expect(rows).toEqual([{ processed: false }]);
      expect(apiOnly.stats.processed).toBe(0);
    });

    it('connects a provider that failed to connect later, with backoff, without holding up start', async () => {
      let attempts = 0;
      const flaky: EntityProvider = {
        name: 'flaky',
        async connect(connection) {
          attempts++;
          if (attempts === 1) throw new Error('database is down');
          await connection.applyMutation({ type: 'full', entities: [{ entity: component('from-flaky') }] });
        },
      };
      const e = create({ extra: { providers: [flaky] } });
      await e.start();
      expect(attempts).toBe(1);
      await waitFor(async () => attempts === 2, 5000, 'the second attempt');
      await waitFor(async () => (await e.processPending()).processed === 1, 5000, 'the entity');
      expect(e.providerNames()).toEqual([
        'ConfigLocationProvider',
        'DatabaseLocationProvider',
        'push:ci',
        'flaky',
      ]);
    });

    it('removes what an uninstalled provider emitted, at start', async () => {
      const ds = db().dataSource;
      await push([component('a'), group('team-a')]);
      await engine.processPending();
      const without = create({ config: {}, settings: { processingEnabled: true } });
      await without.start();
      await waitFor(async () => (await finalEntities(ds)).size === 0, 20_000, 'the entities to go');
      expect((await eventLog(ds)).filter((line) => line.endsWith('deleted'))).toHaveLength(2);
    });
  });
});

describe('CatalogEngine with file locations', () => {
  const db = useTestDatabase();
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'engine-files-')));
  const write = (name: string, text: string) => writeFileSync(join(root, name), text);
  const yaml = (entities: Entity[]) => entities.map((e) => JSON.stringify(e)).join('\n---\n');
  let engine: CatalogEngine | undefined;

  const start = async (orphanStrategy: 'keep' | 'delete' = 'keep') => {
    engine = testEngine(db().dataSource, {
      fileRoots: [root],
      settings: { processingEnabled: false },
      config: {
        catalog: {
          orphanStrategy,
          locations: [{ type: 'file', target: join(root, 'all.yaml'), rules: [{ allow: ['Group'] }] }],
        },
      },
    });
    await engine.start();
    await engine.processPending();
    return engine;
  };

  beforeEach(async () => {
    await truncateAll(db().dataSource);
    for (const name of ['all.yaml', 'a.yaml', 'b.yaml']) rmSync(join(root, name), { force: true });
    write(
      'all.yaml',
      yaml([
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Location',
          metadata: { name: 'everything' },
          spec: { targets: ['./a.yaml', './b.yaml'] },
        },
      ]),
    );
    write('a.yaml', yaml([component('a1'), component('a2'), group('team-a')]));
    write('b.yaml', yaml([component('b1')]));
  });
  afterEach(async () => {
    await engine?.stop();
    engine = undefined;
  });

  const annotations = async (ref: string) =>
    (await finalEntities(db().dataSource)).get(ref)?.metadata.annotations;
  const statusOf = async (ref: string) => (await finalEntities(db().dataSource)).get(ref)?.status;

  it('reads the tree of files into the catalog', async () => {
    await start();
    const finals = await finalEntities(db().dataSource);
    expect([...finals.keys()].filter((ref) => !ref.includes('generated-'))).toEqual([
      'component:default/a1',
      'component:default/a2',
      'component:default/b1',
      'group:default/team-a',
      'location:default/everything',
    ]);
    expect(await annotations('component:default/a1')).toEqual({
      'backstage.io/managed-by-location': `file:${root}/a.yaml`,
      'backstage.io/managed-by-origin-location': `file:${root}/all.yaml`,
    });
  });

  it('a source file that breaks marks an error and orphans nothing; fixing it clears the error', async () => {
    const e = await start();
    write('a.yaml', `${yaml([component('a1')])}\n---\nkind: [broken\n`);
    await makeAllDue(db().dataSource);
    await e.processPending();
    const finals = await finalEntities(db().dataSource);
    expect(finals.has('component:default/a2')).toBe(true);
    expect(await annotations('component:default/a2')).not.toHaveProperty(['backstage.io/orphan']);
    expect((await statusOf('location:default/everything'))!.items![0]!.message).toMatch(
      /Unable to parse file:.*a\.yaml/,
    );
    write('a.yaml', yaml([component('a1'), component('a2'), group('team-a')]));
    await makeAllDue(db().dataSource);
    await e.processPending();
    expect(await statusOf('location:default/everything')).toBeUndefined();
  });

  it('a source file that disappears marks an error and orphans nothing', async () => {
    const e = await start();
    rmSync(join(root, 'b.yaml'));
    await makeAllDue(db().dataSource);
    await e.processPending();
    expect(await annotations('component:default/b1')).not.toHaveProperty(['backstage.io/orphan']);
    expect((await statusOf('location:default/everything'))!.items![0]!.message).toMatch(
      /Unable to read file:.*b\.yaml/,
    );
    expect(
      (await eventLog(db().dataSource)).filter((line) => line.startsWith('component:default/b1 ')),
    ).toEqual(['component:default/b1 upserted']);
  });

  it('an entity its parent stops emitting is marked as an orphan, and back when emitted again', async () => {
    const e = await start();
    write('a.yaml', yaml([component('a1'), group('team-a')]));
    await makeAllDue(db().dataSource);
    await e.processPending();
    expect((await annotations('component:default/a2'))!['backstage.io/orphan']).toBe('true');
    write('a.yaml', yaml([component('a1'), component('a2'), group('team-a')]));
    await makeAllDue(db().dataSource);
    await e.processPending();
    expect(await annotations('component:default/a2')).not.toHaveProperty(['backstage.io/orphan']);
    expect(
      (await eventLog(db().dataSource)).filter((line) => line.startsWith('component:default/a2')),
    ).toEqual([
      'component:default/a2 upserted',
      'component:default/a2 orphaned',
      'component:default/a2 upserted',
    ]);
  });

  it('under orphanStrategy: delete, an entity its parent stops emitting is deleted with its relations', async () => {
    const e = await start('delete');
    write('a.yaml', yaml([component('a1'), group('team-a')]));
    await makeAllDue(db().dataSource);
    await e.processPending();
    const finals = await finalEntities(db().dataSource);
    expect(finals.has('component:default/a2')).toBe(false);
    expect(finals.get('group:default/team-a')!.relations).toEqual([
      { type: 'ownerOf', targetRef: 'component:default/a1' },
      { type: 'ownerOf', targetRef: 'component:default/b1' },
    ]);
    expect(
      (await eventLog(db().dataSource)).filter((line) => line.startsWith('component:default/a2')),
    ).toEqual(['component:default/a2 upserted', 'component:default/a2 deleted']);
  });

  it('re-reading unchanged files rewrites nothing but the claims', async () => {
    const e = await start();
    await makeAllDue(db().dataSource);
    const [{ n }]: Array<{ n: string }> = await db().dataSource.query(
      'SELECT count(*)::text AS n FROM refresh_state',
    );
    const mark = await writeMark(db().dataSource);
    await e.processPending();
    const written = await rowsWrittenSince(db().dataSource, mark);
    expect(written.refresh_state!.written).toBe(Number(n));
    for (const table of ['refresh_state_references', 'relations', 'final_entities', 'entity_events']) {
      expect([table, written[table]!.written]).toEqual([table, 0]);
    }
  });

  it('refuses files outside catalog.fileRoots, whether from config or from a Location entity', async () => {
    const outside = realpathSync(mkdtempSync(join(tmpdir(), 'engine-outside-')));
    writeFileSync(join(outside, 'x.yaml'), yaml([component('secret')]));
    write(
      'a.yaml',
      yaml([
        component('a1'),
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Location',
          metadata: { name: 'sneaky' },
          spec: { target: join(outside, 'x.yaml') },
        },
      ]),
    );
    engine = testEngine(db().dataSource, {
      fileRoots: [root],
      settings: { processingEnabled: false },
      config: {
        catalog: {
          locations: [
            { type: 'file', target: join(root, 'all.yaml') },
            { type: 'file', target: join(outside, 'x.yaml') },
          ],
        },
      },
    });
    await engine.start();
    await engine.processPending();
    const finals = await finalEntities(db().dataSource);
    expect(finals.has('component:default/secret')).toBe(false);
    expect(finals.get('location:default/sneaky')!.status!.items![0]!.message).toMatch(
      /not under a configured file root/,
    );
    const generated = [...finals.values()].find((entity) => entity.spec?.target === join(outside, 'x.yaml'))!;
    expect(generated.status!.items![0]!.message).toMatch(/not under a configured file root/);
  });
});
