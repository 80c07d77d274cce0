/**
 * Several replicas on one database: work is claimed in PostgreSQL, so two engines never process the
 * same entity twice, never deadlock, and a replica that dies mid-batch loses nothing.
 */
import type { DataSource } from 'typeorm';
import type { CatalogEngine } from './catalog-engine.js';
import { claimProcessableEntities } from './operations/claim-processable-entities.js';
import { finalEntities, testEngine, waitFor } from './testing/fixtures.js';
import { generateEntities } from './testing/generate.js';
import { truncateAll, useTestDatabase } from './testing/seed.js';
import type { CatalogProcessor } from './types.js';
import { withConnection } from './util/sql.js';

const PUSH = { catalog: { providers: { push: [{ name: 'load' }] } } };

/** A processor that counts which engine processed which entity. */
function counting(engine: string, seen: Map<string, string[]>): CatalogProcessor {
  return {
    name: `count-${engine}`,
    process(entity) {
      const ref =
        `${entity.kind}:${entity.metadata.namespace ?? 'default'}/${entity.metadata.name}`.toLowerCase();
      seen.set(ref, [...(seen.get(ref) ?? []), engine]);
    },
  };
}

async function stitchedCount(dataSource: DataSource): Promise<number> {
  const [row]: Array<{ n: string }> = await dataSource.query(
    `SELECT count(*)::text AS n FROM refresh_state r JOIN final_entities f USING (entity_id)
      WHERE r.next_stitch_at IS NULL AND r.processed_entity IS NOT NULL`,
  );
  return Number(row!.n);
}

describe('CatalogEngine replicas', () => {
  const db = useTestDatabase();
  const engines: CatalogEngine[] = [];
  beforeEach(() => truncateAll(db().dataSource));
  afterEach(async () => {
    for (const engine of engines.splice(0)) await engine.stop();
  });

  it('two engines on two pools process 500 related entities once each, without deadlocks', async () => {
    const seen = new Map<string, string[]>();
    const second = await db().connect(6);
    const settings = { processingEnabled: true, batchSize: 20, stitchBatchSize: 25, concurrency: 4 };
    const a = testEngine(db().dataSource, {
      config: PUSH,
      settings,
      extra: { processors: [counting('a', seen)] },
    });
    const b = testEngine(second, { config: PUSH, settings, extra: { processors: [counting('b', seen)] } });
    engines.push(a, b);
    const entities = generateEntities(500);
    await Promise.all([a.start(), b.start()]);
    await a.push.applyMutation('load', { type: 'full', entities: entities.map((entity) => ({ entity })) });
    await waitFor(async () => (await stitchedCount(db().dataSource)) === 500, 120_000, 'all 500 stitched');

    expect(seen.size).toBe(500);
    const twice = [...seen.entries()].filter(([, by]) => by.length !== 1);
    expect(twice).toEqual([]);
    const byA = [...seen.values()].filter((by) => by[0] === 'a').length;
    expect(byA).toBeGreaterThan(0);
    expect(byA).toBeLessThan(500);
    expect(a.stats.processed + b.stats.processed).toBe(500);
    expect(a.stats.deadlocks + b.stats.deadlocks).toBe(0);
    expect(a.stats.writeFailures + b.stats.writeFailures).toBe(0);
    const finals = await finalEntities(db().dataSource);
    expect(finals.size).toBe(500);
    expect(finals.get('group:default/group-0')!.relations!.length).toBeGreaterThan(10);
  }, 180_000);

  it('finishes a batch whose worker died after claiming it, once the lease runs out', async () => {
    const ds = db().dataSource;
    const dead = await db().connect(2);
    const survivor = testEngine(ds, { config: PUSH, settings: { processingEnabled: false } });
    engines.push(survivor);
    await survivor.start();
    await survivor.push.applyMutation('load', {
      type: 'full',
      entities: generateEntities(40).map((entity) => ({ entity })),
    });
    // The dying replica claims everything with a one-second lease, then never writes.
    const claimed = await withConnection(dead, (sql) =>
      claimProcessableEntities(sql, { batchSize: 100, intervalSeconds: 1 }),
    );
    expect(claimed).toHaveLength(40);
    await dead.destroy();
    expect(await survivor.processPending()).toEqual({ processed: 0, stitched: 0 });

    await new Promise((resolve) => setTimeout(resolve, 1200));
    const done = await survivor.processPending();
    expect(done.processed).toBe(40);
    expect((await finalEntities(ds)).size).toBe(40);
  });

  it('a stitch claim abandoned by a dead worker is stitched by another after its lease', async () => {
    const ds = db().dataSource;
    const dying = testEngine(ds, {
      config: PUSH,
      settings: { processingEnabled: false, stitchLeaseMs: 1000 },
    });
    const survivor = testEngine(ds, { config: PUSH, settings: { processingEnabled: false } });
    engines.push(dying, survivor);
    await dying.start();
    await survivor.start();
    await dying.push.applyMutation('load', {
      type: 'full',
      entities: generateEntities(10).map((entity) => ({ entity })),
    });
    await dying.processing.processOnce();
    // Claim the stitches with the short lease, then "die" before writing.
    const { claimStitchableEntities } = await import('./operations/claim-stitchable-entities.js');
    const claim = await withConnection(ds, (sql) =>
      claimStitchableEntities(sql, { batchSize: 100, leaseMs: 1000 }),
    );
    expect(claim!.items).toHaveLength(10);
    expect(await survivor.stitching.stitchOnce()).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await survivor.stitching.stitchOnce()).toBe(10);
    expect((await finalEntities(ds)).size).toBe(10);
  });
});
