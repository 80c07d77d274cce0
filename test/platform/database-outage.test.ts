/**
 * Readiness follows the database: a plugin service is 503 until its migrations ran, 503 again while
 * its PostgreSQL is unreachable, and ready again when it comes back, without a restart. Runs against
 * an embedded PostgreSQL of its own so that it can be stopped.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// The dev runner's embedded server: the same code `npm start` uses.
import { EmbeddedPostgresServer } from '../../tools/dev/postgres.mjs';
import { freePort, getJson, PortalProcess, portalTestEnv, waitFor } from '../support/portal-process.js';

describe('readiness while the database goes away and comes back', () => {
  let database: EmbeddedPostgresServer;
  let gateway: PortalProcess;
  let search: PortalProcess;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'portal-pg-'));
    chmodSync(dir, 0o755);
    database = new EmbeddedPostgresServer({
      dataDir: join(dir, 'data'),
      port: await freePort(),
      log: () => undefined,
    });
    const url = await database.start();
    const { env, gatewayPorts: ports } = await portalTestEnv({ databaseUrl: url });
    gateway = await PortalProcess.start('gateway', env, ports);
    search = await PortalProcess.start('search', env);
  });

  afterAll(async () => {
    await Promise.all([gateway?.stop(), search?.stop()]);
    await database?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const readiness = () => getJson(`${search.url}/.backstage/health/v1/readiness`);

  it('is ready once migrated and registered, red while the database is down, green when it is back', async () => {
    await waitFor('search ready', async () => (await readiness()).status === 200);
    expect(search.lines.some((l) => l.msg === 'created database')).toBe(true);

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
    // Still alive: an orchestrator must not restart it for a database outage.
    expect((await getJson(`${search.url}/.backstage/health/v1/liveness`)).status).toBe(200);
    // Its API answers 503 at once rather than failing on a dead pool.
    const api = await getJson(`${search.url}/api/search/.portal/v1/info`);
    expect(api.status).toBe(503);
    expect(api.body.error.name).toBe('ServiceUnavailableError');

    await database.start();
    await waitFor('readiness to go green again', async () => (await readiness()).status === 200, 20_000);
    expect(search.alive).toBe(true);
  });
});
