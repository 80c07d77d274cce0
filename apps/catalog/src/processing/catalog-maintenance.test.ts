import { DataSource } from 'typeorm';
import {
  createCatalogTestDatabase,
  testServerUrl,
  insertEntities,
  manyServices,
  type CatalogTestDatabase,
} from '../entities/query/testing/catalog-test-database.js';
import { CatalogMaintenance } from './catalog-maintenance.js';
import { silentLogger } from './testing/fixtures.js';

async function lastAnalyzed(db: CatalogTestDatabase, table: string): Promise<Date | null> {
  const [row] = (await db.dataSource.query(
    `SELECT greatest(last_analyze, last_autoanalyze) AS at FROM pg_stat_user_tables WHERE relname = $1`,
    [table],
  )) as Array<{ at: Date | null }>;
  return row?.at ?? null;
}

/**
 * Runs statements on the writer's one connection and makes it report its statistics at once
 * (a backend otherwise flushes them within a second, or ten when idle).
 */
async function changeAndReport(writer: DataSource, ...statements: string[]): Promise<void> {
  for (const statement of statements) await writer.query(statement);
  await writer.query('SELECT pg_stat_force_next_flush()');
  await writer.query('SELECT 1');
}

describe('CatalogMaintenance', () => {
  let db: CatalogTestDatabase;
  let writer: DataSource;

  beforeAll(async () => {
    db = await createCatalogTestDatabase('maint');
    const url = new URL(testServerUrl);
    url.pathname = `/${db.name}`;
    writer = new DataSource({ type: 'postgres', url: url.toString(), extra: { max: 1 } });
    await writer.initialize();
  });

  afterAll(async () => {
    await writer?.destroy();
    await db?.drop();
  });

  it('compacts facet deltas and analyzes tables that changed a lot, and only those', async () => {
    const maintenance = new CatalogMaintenance({
      dataSource: db.dataSource,
      logger: silentLogger(),
      analyze: { minChangedRows: 100, changedFraction: 0.1 },
    });
    await insertEntities(writer, manyServices(300));
    await changeAndReport(writer); // the inserts reported before the ANALYZE, not after it
    await changeAndReport(writer, 'ANALYZE final_entities');
    const before = await lastAnalyzed(db, 'final_entities');
    expect(before).not.toBeNull();

    // A few changes: below the threshold, nothing to analyze; the deltas are compacted.
    await changeAndReport(writer, `DELETE FROM final_entities WHERE name IN ('svc-000', 'svc-001')`);
    const quiet = await maintenance.runOnce();
    expect(quiet.analyzed).toEqual([]);
    expect(quiet.compactedDeltas).toBeGreaterThan(0);

    // Most of the table deleted: analyzed, once.
    await changeAndReport(writer, `DELETE FROM final_entities WHERE name > 'svc-050'`);
    const busy = await maintenance.runOnce();
    expect(busy.analyzed).toEqual(['final_entities']);
    expect((await lastAnalyzed(db, 'final_entities'))!.getTime()).toBeGreaterThan(before!.getTime());
    const [{ estimate }] = (await db.dataSource.query(
      `SELECT reltuples::int AS estimate FROM pg_class WHERE relname = 'final_entities'`,
    )) as [{ estimate: number }];
    expect(estimate).toBe(49);
    expect((await maintenance.runOnce()).analyzed).toEqual([]);
  });

  it('leaves a table another replica is analyzing to it', async () => {
    const maintenance = new CatalogMaintenance({
      dataSource: db.dataSource,
      logger: silentLogger(),
      analyze: { minChangedRows: 10, changedFraction: 0 },
    });
    await changeAndReport(writer, `UPDATE final_entities SET hash = hash || 'y'`);
    const runner = db.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await runner.query('SELECT pg_advisory_xact_lock($1, 100)', [0x63617431]);
      expect((await maintenance.runOnce()).analyzed).toEqual([]);
      await runner.rollbackTransaction();
    } finally {
      await runner.release();
    }
    expect((await maintenance.runOnce()).analyzed).toEqual(['final_entities']);
  });
});
