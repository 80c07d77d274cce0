/**
 * The catalog across a database restart, as a real process against an embedded PostgreSQL of its
 * own (the dev runner's, which the test may stop and start): while the database is down readiness
 * is red, liveness stays green, the processing and stitching loops back off (logged, no crash, no
 * busy loop); when it is back readiness turns green without a restart, and a descriptor file
 * edited during the outage is processed and served.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Entity } from '@portal/catalog-model';
import { parseAllDocuments, stringify } from 'yaml';
// The dev runner's embedded server: the same code `npm start` uses.
import { EmbeddedPostgresServer } from '../../../tools/dev/postgres.mjs';
import {
  freePort,
  getJson,
  PortalProcess,
  portalTestEnv,
  waitFor,
  type LogLine,
} from '../../../test/support/portal-process.js';
import {
  entitiesByRefs,
  guestToken,
  visibleEntities,
  writeGeneratedOrganisation,
  type GeneratedOrganisation,
} from './support/catalog-processes.js';

const COUNT = 300;
const OUTAGE_MS = 8000;

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of stat (utime, stime) are 11 and 12 after the command name and state.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

describe('catalog across a database restart', () => {
  let database: EmbeddedPostgresServer;
  let gateway: PortalProcess;
  let catalog: PortalProcess;
  let dir: string;
  let org: GeneratedOrganisation;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'portal-pg-restart-'));
    chmodSync(dir, 0o755);
    const files = join(dir, 'catalog');
    org = writeGeneratedOrganisation(files, { count: COUNT, seed: 11, files: 5 });
    database = new EmbeddedPostgresServer({
      dataDir: join(dir, 'data'),
      port: await freePort(),
      log: () => undefined,
    });
    const url = await database.start();
    const { env, gatewayPorts } = await portalTestEnv({
      databaseUrl: url,
      overrides: {
        LOG_LEVEL: 'info',
        APP_CONFIG_catalog_fileRoots: JSON.stringify([files]),
        APP_CONFIG_catalog_locations: JSON.stringify([{ type: 'file', target: org.locationFile }]),
        // Files are read again at every refresh of their Location.
        APP_CONFIG_catalog_processingInterval: JSON.stringify({ seconds: 3 }),
        APP_CONFIG_catalog_stitchingStrategy: JSON.stringify({
          settleTime: { milliseconds: 200 },
          bulkSettleTime: { seconds: 1 },
          pollingInterval: { milliseconds: 300 },
        }),
        APP_CONFIG_catalog_processing_pollingInterval: JSON.stringify({ milliseconds: 300 }),
      },
    });
    gateway = await PortalProcess.start('gateway', env, gatewayPorts);
    catalog = await PortalProcess.start('catalog', env);
  }, 90_000);

  afterAll(async () => {
    await Promise.all([gateway?.stop(), catalog?.stop()]);
    await database?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  const readiness = () => getJson(`${catalog.url}/.backstage/health/v1/readiness`);
  const backoffs = (from: number): LogLine[] =>
    catalog.lines.slice(from).filter((l) => l.msg === 'catalog loop iteration failed; backing off');

  it('goes red while the database is down, backs off, and resumes processing when it is back', async () => {
    await waitFor('catalog ready', async () => (await readiness()).status === 200, 60_000);
    const token = await guestToken(gateway.url);
    const expectedTotal = COUNT + 2;
    await waitFor(
      'the organisation ingested',
      async () => (await visibleEntities(catalog.url, token)) === expectedTotal,
      45_000,
      250,
    );

    // The database goes away.
    const beforeOutage = catalog.lines.length;
    await database.stop();
    const down = await waitFor(
      'readiness to go red',
      async () => {
        const r = await readiness();
        return r.status === 503 ? r : undefined;
      },
      15_000,
    );
    expect(down.body).toMatchObject({ status: 'error', reasons: ['Database is not reachable'] });
    expect((await getJson(`${catalog.url}/.backstage/health/v1/liveness`)).status).toBe(200);
    // Red through the gateway as well, where an orchestrator or the dev runner looks.
    expect((await getJson(`${gateway.url}/api/catalog/.backstage/health/v1/readiness`)).status).toBe(503);

    // A descriptor is edited while the database is down: one entity changes, one is added.
    const file = org.entityFiles[0]!;
    const documents = parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS() as Entity);
    const edited = documents[0]!;
    edited.metadata.description = 'Edited while the database was down';
    const added: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'added-during-outage' },
      spec: { type: 'service', lifecycle: 'experimental', owner: 'group:acme' },
    };
    writeFileSync(file, [...documents, added].map((d) => `---\n${stringify(d)}`).join(''));

    // Down for a while: the loops fail, log it, and wait longer each time; the process stays up
    // and does not spin.
    const cpuBefore = cpuSeconds(catalog.child.pid!);
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    const cpuUsed = cpuBefore === undefined ? undefined : cpuSeconds(catalog.child.pid!)! - cpuBefore;
    expect(catalog.alive).toBe(true);
    expect((await readiness()).status).toBe(503);
    expect((await getJson(`${catalog.url}/.backstage/health/v1/liveness`)).status).toBe(200);
    const failures = backoffs(beforeOutage);
    for (const loop of ['catalog-processing', 'catalog-stitching']) {
      const ofLoop = failures.filter((l) => l.loop === loop);
      expect(ofLoop.length).toBeGreaterThanOrEqual(2);
      // Exponential backoff: a handful of attempts in the outage, not a busy loop.
      expect(ofLoop.length).toBeLessThanOrEqual(12);
      const waits = ofLoop.map((l) => l.retryInMs as number);
      expect(Math.max(...waits)).toBeGreaterThan(waits[0]!);
    }
    if (cpuUsed !== undefined) expect(cpuUsed).toBeLessThan(OUTAGE_MS / 1000 / 4);
    expect(catalog.raw.some((line) => /Unhandled|uncaught/i.test(line))).toBe(false);

    // The database comes back: ready again without a restart, and the edit is served.
    const restartedAt = Date.now();
    await database.start();
    await waitFor('readiness to go green again', async () => (await readiness()).status === 200, 30_000);
    const readyAfterMs = Date.now() - restartedAt;
    await waitFor(
      'readiness green through the gateway',
      async () => (await getJson(`${gateway.url}/api/catalog/.backstage/health/v1/readiness`)).status === 200,
      10_000,
    );
    const editedRef = `${edited.kind}:default/${edited.metadata.name}`.toLowerCase();
    await waitFor(
      'the edit and the new entity served',
      async () => {
        const [changed, created, owner] = await entitiesByRefs(gateway.url, token, [
          editedRef,
          'component:default/added-during-outage',
          'group:default/acme',
        ]);
        // Stitched on both ends: the owner shows the new entity too.
        return (
          changed?.metadata.description === 'Edited while the database was down' &&
          created !== null &&
          (owner?.relations ?? []).some(
            (r) => r.type === 'ownerOf' && r.targetRef === 'component:default/added-during-outage',
          )
        );
      },
      // A loop may be in a backoff of up to 30 s when the database returns.
      60_000,
      500,
    );
    const servedAfterMs = Date.now() - restartedAt;
    expect(await visibleEntities(gateway.url, token)).toBe(expectedTotal + 1);
    const [created] = await entitiesByRefs(gateway.url, token, ['component:default/added-during-outage']);
    expect(created!.relations).toEqual(
      expect.arrayContaining([{ type: 'ownedBy', targetRef: 'group:default/acme' }]),
    );
    expect(created!.status?.items ?? []).toEqual([]);
    expect(catalog.alive).toBe(true);
    console.log(
      JSON.stringify({
        backoffs: failures.map((l) => `${l.loop as string}:${l.retryInMs as number}`),
        cpuSecondsDuringOutage: cpuUsed,
        readyAfterMs,
        servedAfterMs,
      }),
    );
  }, 180_000);
});
