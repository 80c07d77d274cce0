import { jest } from '@jest/globals';
import { mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Entity } from '@portal/catalog-model';
import type { CatalogEngine } from './catalog-engine.js';
import { component, finalEntities, group, makeAllDue, stateOf, testEngine } from './testing/fixtures.js';
import { truncateAll, useTestDatabase } from './testing/seed.js';
import type { CatalogProcessor } from './types.js';

const PUSH = { catalog: { providers: { push: [{ name: 'ci' }] } } };

describe('ProcessingLoop', () => {
  const db = useTestDatabase();
  let engine: CatalogEngine;
  beforeEach(() => truncateAll(db().dataSource));
  afterEach(() => engine?.stop());

  async function engineWith(processors: CatalogProcessor[] = [], config: object = PUSH) {
    engine = testEngine(db().dataSource, {
      config: config as never,
      settings: { processingEnabled: false },
      extra: { processors },
    });
    await engine.start();
    return engine;
  }
  const push = (entities: Entity[]) =>
    engine.push.applyMutation('ci', { type: 'full', entities: entities.map((entity) => ({ entity })) });

  it('claims nothing when nothing is due', async () => {
    await engineWith();
    expect(await engine.processing.processOnce()).toBe(0);
  });

  it('writes a changed result once; the same result again is counted as unchanged', async () => {
    await engineWith();
    await push([component('a'), group('team-a')]);
    expect(await engine.processing.processOnce()).toBe(2);
    expect(engine.stats).toMatchObject({ processed: 2, written: 2, unchanged: 0 });
    await makeAllDue(db().dataSource);
    expect(await engine.processing.processOnce()).toBe(2);
    expect(engine.stats).toMatchObject({ processed: 4, written: 2, unchanged: 2 });
  });

  it('knows when it is writing a bulk change, until the first quiet batch', async () => {
    await engineWith();
    await push(Array.from({ length: 8 }, (_, i) => component(`c${i}`)));
    expect(engine.processing.isBulkWriting(3000)).toBe(false);
    await engine.processing.processOnce();
    expect(engine.processing.isBulkWriting(3000)).toBe(false);
    const bulk = testEngine(db().dataSource, {
      config: PUSH as never,
      settings: { processingEnabled: false, batchSize: 10 },
    });
    await makeAllDue(db().dataSource);
    await db().dataSource.query(`UPDATE refresh_state SET result_hash = NULL`);
    await bulk.processing.processOnce();
    expect(bulk.processing.isBulkWriting(3000)).toBe(true);
    expect(bulk.processing.isBulkWriting(0)).toBe(false);
    await bulk.processing.processOnce();
    expect(bulk.processing.isBulkWriting(3000)).toBe(false);
  });

  it('stores a processor that throws as an entity-level failure', async () => {
    await engineWith([
      {
        name: 'flaky',
        process(entity) {
          if (entity.metadata.name === 'b') throw new Error('remote system down');
        },
      },
    ]);
    await push([component('a'), component('b')]);
    await engine.processing.processOnce();
    expect(engine.stats.failed).toBe(1);
    expect((await stateOf(db().dataSource, 'component:default/b'))!.errors).toEqual([
      { name: 'Error', message: 'Processor flaky failed on component:default/b: remote system down' },
    ]);
  });

  it('writes the good results of a batch when one result cannot be stored, and shows that error on it', async () => {
    await engineWith([
      {
        name: 'poison',
        process(entity) {
          if (entity.metadata.name === 'b')
            return { ...entity, metadata: { ...entity.metadata, title: 'nul \u0000 inside' } };
        },
      },
    ]);
    await push([component('a'), component('b'), component('c')]);
    await engine.processPending();
    expect(engine.stats.writeFailures).toBe(1);
    expect(engine.stats.written).toBe(2);
    const b = await stateOf(db().dataSource, 'component:default/b');
    expect(b!.processed).toBeNull();
    expect(b!.errors![0]!.message).toMatch(
      /^The processing result could not be stored: .*\(SQLSTATE 22P05\)/,
    );
    expect([...(await finalEntities(db().dataSource)).keys()]).toEqual([
      'component:default/a',
      'component:default/c',
    ]);
  });

  it('reports a child another location owns as a conflict, and adopts it once the owner lets go', async () => {
    const root = realpathSync(mkdtempSync(join(tmpdir(), 'conflict-')));
    writeFileSync(join(root, 'a.yaml'), JSON.stringify(component('taken', { lifecycle: 'from-a' })));
    writeFileSync(join(root, 'b.yaml'), JSON.stringify(component('taken', { lifecycle: 'from-b' })));
    engine = testEngine(db().dataSource, {
      fileRoots: [root],
      settings: { processingEnabled: false },
      config: { catalog: { locations: [{ type: 'file', target: join(root, 'a.yaml') }] } },
    });
    await engine.start();
    await engine.processPending();
    await engine.locations.addLocation({ type: 'file', target: join(root, 'b.yaml') });
    await engine.processPending();
    const lifecycle = async () =>
      (await finalEntities(db().dataSource)).get('component:default/taken')!.spec!.lifecycle;
    const errorsOfB = async () => {
      const rows: Array<{ errors: Array<{ name: string; message: string }> | null }> =
        await db().dataSource.query(
          `SELECT errors FROM refresh_state WHERE unprocessed_entity #>> '{spec,target}' = $1`,
          [join(root, 'b.yaml')],
        );
      return rows[0]!.errors;
    };
    expect(await lifecycle()).toBe('from-a');
    expect(await errorsOfB()).toEqual([
      {
        name: 'ConflictError',
        message: `Entity component:default/taken is already managed by file:${root}/a.yaml; it is ignored from file:${root}/b.yaml`,
      },
    ]);

    writeFileSync(join(root, 'a.yaml'), '');
    await makeAllDue(db().dataSource);
    await engine.processPending();
    await makeAllDue(db().dataSource);
    await engine.processPending();
    expect(await errorsOfB()).toBeNull();
    expect(await lifecycle()).toBe('from-b');
  });

  it('writes a batch of Locations that bring thousands of children in several chunks, losing none', async () => {
    const root = realpathSync(mkdtempSync(join(tmpdir(), 'chunks-')));
    const files = ['a', 'b', 'c'].map((file) => {
      const docs = Array.from({ length: 1000 }, (_, i) => JSON.stringify(component(`${file}-${i}`)));
      writeFileSync(join(root, `${file}.yaml`), docs.join('\n---\n'));
      return join(root, `${file}.yaml`);
    });
    engine = testEngine(db().dataSource, {
      fileRoots: [root],
      settings: { processingEnabled: false },
      config: { catalog: { locations: files.map((target) => ({ type: 'file', target })) } },
    });
    await engine.start();
    const writes = jest.spyOn(engine.processing as unknown as { write: () => Promise<void> }, 'write');
    // One batch: the three config Locations, each reading 1,000 children from its file.
    expect(await engine.processing.processOnce()).toBe(3);
    expect(writes.mock.calls.length).toBeGreaterThanOrEqual(2);
    const [{ n }] = await db().dataSource.query(
      `SELECT count(*)::int AS n FROM refresh_state_references WHERE target_entity_ref LIKE 'component:%'`,
    );
    expect(n).toBe(3000);
  });
});
