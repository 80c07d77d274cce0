/**
 * Ingest → process → stitch throughput on generated entities, with the loops running as a replica
 * runs them (default settings, settle time included). CATALOG_BENCH_ENTITIES sets the size (default
 * 600); the rate is printed. Not a timed test: it checks that everything arrives, with relations.
 */
import { createTestDatabase, type TestDatabase } from './testing/test-database.js';
import { finalEntities, testEngine } from './testing/fixtures.js';
import { generateEntities } from './testing/generate.js';

const COUNT = Number(process.env.CATALOG_BENCH_ENTITIES ?? 600);

async function pending(db: TestDatabase): Promise<number> {
  const [row]: Array<{ n: string }> = await db.dataSource.query(
    `SELECT count(*)::text AS n FROM refresh_state
      WHERE next_update_at <= now() OR next_stitch_at IS NOT NULL OR processed_entity IS NULL`,
  );
  return Number(row!.n);
}

describe(`throughput (${COUNT} entities)`, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(12);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('ingests, processes and stitches every generated entity with its relations', async () => {
    const entities = generateEntities(COUNT);
    const engine = testEngine(db.dataSource, {
      config: { catalog: { providers: { push: [{ name: 'bench' }] } } },
      // The production polling and settle times; only the refresh interval stays long.
      settings: {
        processingPollMs: 1000,
        stitchPollMs: 1000,
        stitchSettleMs: 1000,
        stitchBulkSettleMs: 5000,
      },
    });
    await engine.start();
    try {
      const t0 = performance.now();
      const summary = await engine.push.applyMutation('bench', {
        type: 'full',
        entities: entities.map((entity) => ({ entity })),
      });
      const t1 = performance.now();
      expect(summary.added).toBe(COUNT);
      const deadline = Date.now() + 600_000;
      let lastReport = Date.now();
      while ((await pending(db)) > 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        if (process.env.CATALOG_BENCH_PROGRESS && Date.now() - lastReport > 10_000) {
          lastReport = Date.now();
          const { processed, stitchClaimed, stitched } = engine.stats;
          process.stdout.write(
            `[throughput] ${((performance.now() - t0) / 1000).toFixed(0)} s: processed ${processed}, stitch claims ${stitchClaimed}, final writes ${stitched}\n`,
          );
        }
      }
      const t2 = performance.now();

      const finals = await finalEntities(db.dataSource);
      expect(finals.size).toBe(COUNT);
      expect(finals.get('component:default/component-1')!.relations).toEqual(
        expect.arrayContaining([
          { type: 'ownedBy', targetRef: 'group:default/group-1' },
          { type: 'dependsOn', targetRef: 'component:default/component-2' },
          { type: 'dependencyOf', targetRef: 'component:default/component-0' },
        ]),
      );
      const seconds = (t2 - t0) / 1000;
      process.stdout.write(
        `\n[throughput] ${COUNT} entities: mutation ${((t1 - t0) / 1000).toFixed(2)} s, ` +
          `ingested+processed+stitched in ${seconds.toFixed(2)} s = ${(COUNT / seconds).toFixed(0)} entities/s ` +
          `(stitch claims ${engine.stats.stitchClaimed}, final writes ${engine.stats.stitched}, ` +
          `retries ${engine.stats.retries})\n`,
      );
    } finally {
      await engine.stop();
    }
  }, 900_000);
});
