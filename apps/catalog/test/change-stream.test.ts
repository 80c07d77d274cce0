/**
 * The change stream and entity history with real processes: a gateway and a catalog ingesting
 * descriptor files from a temporary folder (a config location), processing every second. A gRPC
 * WatchEntities client sees the upserts, disconnects, misses some changes and resumes from its last
 * cursor; an SSE client through the gateway resumes with Last-Event-ID; an edited file shows up as
 * a new version in the entity's history; shutting the catalog down ends open streams cleanly.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentials, Metadata, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import { catalogV1 } from '@portal/proto';
import pg from 'pg';
import {
  dropTestDatabases,
  getJson,
  PortalProcess,
  portalTestEnv,
  testDatabasePrefix,
  testDatabaseUrl,
  waitFor,
} from '../../../test/support/portal-process.js';

const prefix = testDatabasePrefix();
const serviceToken = 'change-stream-test-token-0123456789';

function component(name: string, description: string): string {
  return [
    'apiVersion: backstage.io/v1alpha1',
    'kind: Component',
    'metadata:',
    `  name: ${name}`,
    `  description: ${description}`,
    'spec:',
    '  type: service',
    '  lifecycle: production',
    '  owner: team-a',
  ].join('\n');
}

interface Received {
  cursor: string;
  type: string;
  entityRef: string;
  entity: { metadata: { description?: string } } | null;
}

/** A WatchEntities call collecting what it receives. */
class Watch {
  readonly events: Received[] = [];
  ended = false;
  error?: ServiceError;
  readonly call: ClientReadableStream<catalogV1.EntityEvent>;

  constructor(client: catalogV1.CatalogServiceClient, request: Partial<catalogV1.WatchEntitiesRequest>) {
    const md = new Metadata();
    md.set('authorization', `Bearer ${serviceToken}`);
    this.call = client.watchEntities(catalogV1.WatchEntitiesRequest.fromPartial(request), md);
    this.call.on('data', (event: catalogV1.EntityEvent) =>
      this.events.push({
        cursor: event.cursor,
        type: event.type,
        entityRef: event.entityRef,
        entity: event.json.length ? JSON.parse(Buffer.from(event.json).toString()) : null,
      }),
    );
    this.call.on('error', (error: ServiceError) => (this.error = error));
    this.call.on('end', () => (this.ended = true));
    this.call.on('status', () => (this.ended = true));
  }

  has(ref: string, description?: string): boolean {
    return this.events.some(
      (e) =>
        e.entityRef === ref && (description === undefined || e.entity?.metadata.description === description),
    );
  }
}

/** An SSE response read frame by frame. */
class SseReader {
  readonly frames: Array<{ id?: string; event?: string; data?: string }> = [];
  readonly comments: string[] = [];
  private text = '';
  done = false;

  constructor(readonly response: Response) {
    void this.pump();
  }

  private async pump(): Promise<void> {
    const reader = this.response.body!.getReader();
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        this.text += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = this.text.indexOf('\n\n')) >= 0) {
          const block = this.text.slice(0, end);
          this.text = this.text.slice(end + 2);
          const frame: Record<string, string> = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) this.comments.push(line);
            else {
              const colon = line.indexOf(':');
              frame[line.slice(0, colon)] = line.slice(colon + 1).trimStart();
            }
          }
          if (Object.keys(frame).length) this.frames.push(frame);
        }
      }
    } catch {
      // Aborted by the test.
    } finally {
      this.done = true;
    }
  }
}

describe('change stream and history through real processes', () => {
  let dir: string;
  let gateway: PortalProcess;
  let catalog: PortalProcess;
  let grpc: catalogV1.CatalogServiceClient;
  let token: string;
  let db: pg.Client;

  const writeCatalog = (docs: string[]) => writeFileSync(join(dir, 'catalog.yaml'), docs.join('\n---\n'));
  const headers = () => ({ authorization: `Bearer ${token}` });
  const description = async (name: string) =>
    (
      await getJson(`${gateway.url}/api/catalog/entities/by-name/component/default/${name}`, {
        headers: headers(),
      })
    ).body?.metadata?.description;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'portal-change-stream-'));
    writeCatalog([component('alpha', 'v1'), component('beta', 'v1')]);
    const { env, gatewayPorts } = await portalTestEnv({
      prefix,
      overrides: {
        LOG_LEVEL: 'info',
        APP_CONFIG_backend_auth_externalAccess: JSON.stringify([
          { type: 'static', options: { token: serviceToken, subject: 'ci' } },
        ]),
        APP_CONFIG_catalog_fileRoots: JSON.stringify([dir]),
        APP_CONFIG_catalog_locations: JSON.stringify([{ type: 'file', target: join(dir, 'catalog.yaml') }]),
        APP_CONFIG_catalog_processingInterval: JSON.stringify({ seconds: 1 }),
        APP_CONFIG_catalog_stitchingStrategy: JSON.stringify({
          settleTime: { milliseconds: 100 },
          bulkSettleTime: { milliseconds: 200 },
          pollingInterval: { milliseconds: 200 },
        }),
        APP_CONFIG_catalog_processing_pollingInterval: JSON.stringify({ milliseconds: 200 }),
        APP_CONFIG_catalog_events: JSON.stringify({ pollingInterval: { milliseconds: 500 } }),
      },
    });
    gateway = await PortalProcess.start('gateway', env, gatewayPorts);
    catalog = await PortalProcess.start('catalog', env);
    await waitFor(
      'catalog ready',
      async () => (await getJson(`${gateway.url}/api/catalog/.backstage/health/v1/readiness`)).status === 200,
      60_000,
    );
    token = (await getJson(`${gateway.url}/api/auth/guest/refresh`)).body.backstageIdentity.token;
    grpc = new catalogV1.CatalogServiceClient(`127.0.0.1:${catalog.grpcPort}`, credentials.createInsecure());
    const url = new URL(testDatabaseUrl);
    url.pathname = `/${prefix}catalog`;
    db = new pg.Client({ connectionString: url.toString() });
    await db.connect();
  }, 90_000);

  afterAll(async () => {
    grpc?.close();
    await db?.end().catch(() => undefined);
    await Promise.all([gateway?.stop(), catalog?.stop()]);
    await dropTestDatabases(prefix);
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('WatchEntities: upserts, a disconnect, missed changes, and a resume that gets exactly those', async () => {
    const first = new Watch(grpc, { cursor: '0', filterJson: JSON.stringify({ kind: 'component' }) });
    await waitFor(
      'both upserts',
      () => first.has('component:default/alpha') && first.has('component:default/beta'),
      30_000,
    );
    expect(first.events.every((e) => e.entityRef.startsWith('component:'))).toBe(true);
    const last = first.events[first.events.length - 1]!.cursor;
    first.call.cancel();
    await waitFor('the cancelled call to end', () => first.ended, 5_000);

    writeCatalog([component('alpha', 'v2'), component('beta', 'v1'), component('gamma', 'v1')]);
    await waitFor('the changes to be served', async () => (await description('alpha')) === 'v2', 30_000);
    await waitFor('gamma to be served', async () => (await description('gamma')) === 'v1', 30_000);

    const resumed = new Watch(grpc, {
      cursor: last,
      filterJson: JSON.stringify({ kind: { $in: ['Component'] } }),
    });
    await waitFor(
      'the missed changes',
      () => resumed.has('component:default/alpha', 'v2') && resumed.has('component:default/gamma'),
      30_000,
    );
    // Nothing is settling any more: what was missed is exactly what the table holds after the cursor.
    await new Promise((r) => setTimeout(r, 1500));
    const { rows } = await db.query<{ id: string }>(
      `SELECT id::text AS id FROM entity_events WHERE id > $1 AND entity_ref LIKE 'component:%' ORDER BY id`,
      [last],
    );
    expect(resumed.events.map((e) => e.cursor)).toEqual(rows.map((r) => r.id));
    expect(resumed.has('component:default/beta')).toBe(false);
    resumed.call.cancel();

    const bad = new Watch(grpc, { cursor: 'not-a-cursor' });
    await waitFor('the refusal', () => bad.error, 5_000);
    expect(bad.error!.code).toBe(3);
    const ahead = new Watch(grpc, { cursor: '999999999' });
    await waitFor('the refusal', () => ahead.error, 5_000);
    expect(ahead.error).toMatchObject({ code: 3, details: expect.stringContaining('ahead') });
    const badFilter = new Watch(grpc, { cursor: '', filterJson: '{"spec.type": "x"}' });
    await waitFor('the refusal', () => badFilter.error, 5_000);
    expect(badFilter.error!.code).toBe(3);
  }, 120_000);

  it('SSE through the gateway: headers, frames, and a resume with Last-Event-ID', async () => {
    const abort = new AbortController();
    const res = await fetch(`${gateway.url}/api/catalog/events?cursor=0&kind=component`, {
      headers: headers(),
      signal: abort.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(res.headers.get('cache-control')).toMatch(/no-cache/);
    expect(res.headers.get('x-accel-buffering')).toBe('no');
    const sse = new SseReader(res);
    await waitFor(
      'the events so far',
      () => sse.frames.some((f) => f.data?.includes('"component:default/gamma"')),
      30_000,
    );
    expect(sse.comments[0]).toBe(': connected');
    const frame = sse.frames[1]!;
    expect(frame.event).toBe('upserted');
    const data = JSON.parse(frame.data!) as Received & { createdAt: string };
    expect(data.cursor).toBe(frame.id);
    expect(data.entityRef).toMatch(/^component:default\//);
    const seen = sse.frames.map((f) => f.id);
    abort.abort();

    const abort2 = new AbortController();
    const again = await fetch(`${gateway.url}/api/catalog/events?cursor=0&kind=component`, {
      headers: { ...headers(), 'last-event-id': seen[1]! },
      signal: abort2.signal,
    });
    const resumed = new SseReader(again);
    await waitFor('the resumed frames', () => resumed.frames.length >= seen.length - 2, 15_000);
    expect(resumed.frames.map((f) => f.id)).toEqual(seen.slice(2));
    abort2.abort();

    const bad = await getJson(`${gateway.url}/api/catalog/events`, {
      headers: { ...headers(), 'last-event-id': '12abc' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('Last-Event-ID'),
    });
    expect((await getJson(`${gateway.url}/api/catalog/events`)).status).toBe(401);
  }, 60_000);

  it('history: versions newest first after a file edit, paged; 404 for an entity that never existed', async () => {
    const url = `${gateway.url}/api/catalog/entities/by-name/Component/DEFAULT/Alpha/history`;
    const all = await getJson(url, { headers: headers() });
    expect(all.status).toBe(200);
    const descriptions = all.body.items.map(
      (i: { entity: Received['entity'] }) => i.entity?.metadata.description,
    );
    expect(descriptions[0]).toBe('v2');
    expect(descriptions).toContain('v1');
    expect(descriptions.lastIndexOf('v1')).toBeGreaterThan(descriptions.indexOf('v2'));
    expect(all.body.items[0]).toMatchObject({
      type: 'upserted',
      id: expect.any(String),
      createdAt: expect.any(String),
    });

    const page = await getJson(`${url}?limit=1`, { headers: headers() });
    expect(page.body.items).toHaveLength(1);
    const next = await getJson(`${url}?limit=1&before=${page.body.pageInfo.nextBefore}`, {
      headers: headers(),
    });
    expect(next.body.items[0].id).toBe(all.body.items[1].id);

    const missing = await getJson(
      `${gateway.url}/api/catalog/entities/by-name/component/default/nope/history`,
      {
        headers: headers(),
      },
    );
    expect(missing.status).toBe(404);
    expect(missing.body.error.name).toBe('NotFoundError');
    const badLimit = await getJson(`${url}?limit=101`, { headers: headers() });
    expect(badLimit.status).toBe(400);
  }, 30_000);

  it('ends open streams cleanly when the catalog shuts down', async () => {
    const watch = new Watch(grpc, { cursor: '' });
    const abort = new AbortController();
    const res = await fetch(`${gateway.url}/api/catalog/events`, {
      headers: headers(),
      signal: abort.signal,
    });
    const sse = new SseReader(res);
    await waitFor('the SSE stream to open', () => sse.comments.length > 0, 10_000);
    const started = Date.now();
    expect(await catalog.stop()).toBe(0);
    expect(Date.now() - started).toBeLessThan(8_000);
    await waitFor('the gRPC stream to end', () => watch.ended, 5_000);
    expect(watch.error).toBeUndefined();
    await waitFor('the SSE stream to end', () => sse.done, 5_000);
    abort.abort();
  }, 30_000);
});
