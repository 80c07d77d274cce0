/**
 * Catalog replicas as real processes against one database: two processing replicas share the
 * ingestion of a generated organisation read from descriptor files; one of them is killed with
 * SIGKILL in the middle of it, and the other finishes everything the dead one had claimed (its
 * leases expire). Every entity ends processed, stitched and served with all its relations, no
 * deadlock is reported, and an API-only replica (`catalog.processing.enabled: false`, the same
 * build) serves the same reads without processing anything.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Entity } from '@portal/catalog-model';
import type pg from 'pg';
import {
  dropTestDatabases,
  getJson,
  PortalProcess,
  portalTestEnv,
  testDatabasePrefix,
  testDatabaseUrl,
  waitFor,
} from '../../../test/support/portal-process.js';
import {
  catalogDatabase,
  engineFigures,
  entitiesByRefs,
  guestToken,
  servedRelations,
  visibleEntities,
  writeGeneratedOrganisation,
  type EngineFigures,
  type GeneratedOrganisation,
} from './support/catalog-processes.js';

const COUNT = 5000;
const prefix = testDatabasePrefix();

describe('catalog replicas sharing one database', () => {
  let dir: string;
  let org: GeneratedOrganisation;
  let gateway: PortalProcess;
  let survivor: PortalProcess;
  let victim: PortalProcess;
  let apiOnly: PortalProcess;
  let db: pg.Client | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'portal-replicas-'));
    org = writeGeneratedOrganisation(dir, { count: COUNT, seed: 7, files: 50 });
    const { env, gatewayPorts } = await portalTestEnv({
      prefix,
      overrides: {
        LOG_LEVEL: 'info',
        // A dead instance drops out of the gateway's rotation quickly.
        APP_CONFIG_portal_discovery_ttlMs: '1500',
        APP_CONFIG_catalog_fileRoots: JSON.stringify([dir]),
        APP_CONFIG_catalog_locations: JSON.stringify([{ type: 'file', target: org.locationFile }]),
        // The processing interval is also the lease of a processing claim, and stitchTimeout the
        // lease of a stitch claim: short, so that the dead replica's claims come due again soon.
        APP_CONFIG_catalog_processingInterval: JSON.stringify({ seconds: 6 }),
        APP_CONFIG_catalog_stitchingStrategy: JSON.stringify({
          stitchTimeout: { seconds: 5 },
          settleTime: { milliseconds: 200 },
          bulkSettleTime: { seconds: 1 },
          pollingInterval: { milliseconds: 300 },
        }),
        APP_CONFIG_catalog_processing_pollingInterval: JSON.stringify({ milliseconds: 300 }),
      },
    });
    gateway = await PortalProcess.start('gateway', env, gatewayPorts);
    [survivor, victim, apiOnly] = await Promise.all([
      PortalProcess.start('catalog', env),
      PortalProcess.start('catalog', env),
      // The same build, switched to API-only by configuration.
      PortalProcess.start('catalog', { ...env, APP_CONFIG_catalog_processing_enabled: 'false' }),
    ]);
  }, 60_000);

  afterAll(async () => {
    await db?.end().catch(() => undefined);
    await Promise.all([survivor?.stop(), victim?.stop(), apiOnly?.stop()]);
    await gateway?.stop();
    await dropTestDatabases(prefix);
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('shares the ingestion, survives kill -9 of a replica mid-ingest, and ends with everything stitched', async () => {
    const expectedTotal = COUNT + 2; // the generated entities, their Location and the config's Location
    for (const p of [survivor, victim, apiOnly]) {
      await waitFor(
        `catalog ${p.httpPort} ready`,
        async () => (await getJson(`${p.url}/.backstage/health/v1/readiness`)).status === 200,
        60_000,
      );
    }
    const token = await guestToken(gateway.url);
    const started = Date.now();

    // Mid-ingest: some entities are served, not all, and the victim has claimed work of its own.
    let victimFigures: EngineFigures | undefined;
    let visibleAtKill = 0;
    await waitFor(
      'ingestion in progress with both replicas working',
      async () => {
        const visible = await visibleEntities(victim.url, token);
        if (visible < 200 || visible >= expectedTotal) return false;
        const figures = await engineFigures(victim.url);
        if (figures.processed === 0) return false;
        victimFigures = figures;
        visibleAtKill = visible;
        return true;
      },
      60_000,
      100,
    );
    expect(await victim.stop('SIGKILL')).toBeNull();
    expect(victim.child.signalCode).toBe('SIGKILL');
    const killedAt = Date.now();
    expect(visibleAtKill).toBeLessThan(expectedTotal);

    // Every entity ends served, with every relation its own spec and the others' specs imply.
    await waitFor(
      'every entity served',
      async () => (await visibleEntities(gateway.url, token)) === expectedTotal,
      60_000,
      250,
    );
    let served: Array<Entity | null> = [];
    let missing: string[] = [];
    await waitFor(
      'every entity stitched with all its relations',
      async () => {
        served = await entitiesByRefs(gateway.url, token, org.refs, [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'relations',
          'status',
        ]);
        missing = org.refs.filter((ref, i) => {
          const entity = served[i];
          if (!entity) return true;
          const got = servedRelations(entity);
          const want = org.relations.get(ref)!;
          return got.size !== want.size || [...want].some((r) => !got.has(r));
        });
        return missing.length === 0;
      },
      60_000,
      1000,
    ).catch((error: Error) => {
      throw new Error(
        `${error.message}; ${missing.length} incomplete, e.g. ${missing.slice(0, 5).join(', ')}`,
      );
    });
    const convergedMs = Date.now() - started;
    expect(served.every((e) => e !== null)).toBe(true);
    // No processing errors anywhere.
    const withErrors = served.filter((e) => (e?.status?.items?.length ?? 0) > 0);
    expect(withErrors).toEqual([]);

    // In the database: every row processed without errors, stitched into final_entities, and no
    // stitch mark left behind (the dead replica's stitch leases were taken over).
    db = await catalogDatabase(testDatabaseUrl, prefix);
    const { rows } = await db.query<{
      total: string;
      unprocessed: string;
      errored: string;
      stale_marks: string;
      finals: string;
    }>(`
      SELECT count(*) AS total,
             count(*) FILTER (WHERE processed_entity IS NULL) AS unprocessed,
             count(*) FILTER (WHERE errors IS NOT NULL AND errors <> '[]'::jsonb) AS errored,
             count(*) FILTER (WHERE next_stitch_at < now() - interval '15 seconds') AS stale_marks,
             (SELECT count(*) FROM final_entities) AS finals
        FROM refresh_state`);
    expect(rows[0]).toEqual({
      total: String(expectedTotal),
      unprocessed: '0',
      errored: '0',
      stale_marks: '0',
      finals: String(expectedTotal),
    });

    // Both processing replicas did work; none reported a deadlock. Every entity's result was
    // written once: the writes of the two replicas add up to no more than the entities (a claim
    // processed twice would write twice; refreshes of unchanged entities write nothing).
    const survivorFigures = await engineFigures(survivor.url);
    expect(victimFigures!.processed).toBeGreaterThan(0);
    expect(survivorFigures.processed).toBeGreaterThan(0);
    expect(victimFigures!.deadlocks).toBe(0);
    expect(survivorFigures.deadlocks).toBe(0);
    expect(survivorFigures.writeFailures).toBe(0);
    expect(victimFigures!.written + survivorFigures.written).toBeLessThanOrEqual(expectedTotal);
    expect(survivor.alive).toBe(true);

    // The API-only replica answers the same reads from the same database and processed nothing.
    const direct = await entitiesByRefs(apiOnly.url, token, org.refs.slice(0, 200), ['metadata.name']);
    expect(direct.every((e) => e !== null)).toBe(true);
    expect(await visibleEntities(apiOnly.url, token)).toBe(expectedTotal);
    const apiOnlyFigures = await engineFigures(apiOnly.url);
    expect(apiOnlyFigures.processed).toBe(0);
    expect(apiOnlyFigures.stitched).toBe(0);
    expect(apiOnly.lines.some((l) => l.msg === 'catalog engine started' && l.processing === false)).toBe(
      true,
    );

    // Figures for the report.
    console.log(
      JSON.stringify({
        entities: expectedTotal,
        relations: [...org.relations.values()].reduce((n, set) => n + set.size, 0),
        visibleAtKill,
        killedAfterMs: killedAt - started,
        convergedMs,
        victim: victimFigures,
        survivor: survivorFigures,
      }),
    );
  }, 180_000);
});
