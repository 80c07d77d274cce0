/**
 * Locations end to end: the repository's example organisation as a file location, and url
 * locations registered through the API against a local HTTP server.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  KindRegistry,
  parseDescriptors,
  relationsOf,
  stringifyEntityRef,
  type Entity,
} from '@portal/catalog-model';
import type { CatalogEngine } from './catalog-engine.js';
import { eventLog, finalEntities, testEngine } from './testing/fixtures.js';
import { startFileServer, type FileServer } from './testing/http-server.js';
import { truncateAll, useTestDatabase } from './testing/seed.js';

const examples = fileURLToPath(new URL('../../../../examples', import.meta.url));

function exampleEntities(dir = examples): Entity[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return exampleEntities(path);
    if (!/\.ya?ml$/.test(name)) return [];
    return parseDescriptors(readFileSync(path, 'utf8')).map((doc) => {
      if ('error' in doc) throw new Error(`${path}: ${doc.error}`);
      return doc.entity as unknown as Entity;
    });
  });
}

describe('CatalogEngine locations', () => {
  const db = useTestDatabase();
  let engine: CatalogEngine | undefined;
  beforeEach(() => truncateAll(db().dataSource));
  afterEach(async () => {
    await engine?.stop();
    engine = undefined;
  });

  it('ingests examples/all.yaml: every example entity is served with its relations both ways', async () => {
    engine = testEngine(db().dataSource, {
      fileRoots: [examples],
      settings: { processingEnabled: false },
      config: {
        catalog: {
          locations: [
            {
              type: 'file',
              target: join(examples, 'all.yaml'),
              rules: [{ allow: ['Group', 'User', 'System', 'Domain', 'Resource', 'Template'] }],
            },
          ],
        },
      },
    });
    await engine.start();
    await engine.processPending();

    const finals = await finalEntities(db().dataSource);
    const expected = exampleEntities();
    expect(expected.length).toBeGreaterThan(30);
    for (const entity of expected) {
      const ref = stringifyEntityRef(entity);
      const served = finals.get(ref);
      expect([ref, served?.status]).toEqual([ref, undefined]);
      expect(served!.spec).toEqual(entity.spec);
      expect(served!.metadata.annotations!['backstage.io/managed-by-origin-location']).toBe(
        `file:${join(examples, 'all.yaml')}`,
      );
    }
    const kinds = new KindRegistry();
    for (const entity of expected) {
      const { forward, inverse } = relationsOf(entity, kinds);
      for (const triple of [...forward, ...inverse]) {
        expect([triple.source, finals.get(triple.source)?.relations]).toEqual([
          triple.source,
          expect.arrayContaining([{ type: triple.type, targetRef: triple.target }]),
        ]);
      }
    }
    // Generated root location + the example's own Location + the example entities, nothing else.
    expect(finals.size).toBe(expected.length + 1);
    expect((await eventLog(db().dataSource)).every((line) => line.endsWith(' upserted'))).toBe(true);
  });

  describe('url locations registered through the API', () => {
    let server: FileServer;
    beforeAll(async () => {
      server = await startFileServer();
    });
    afterAll(() => server.close());

    it('reads the url, resolves nested relative targets, and unregistering deletes everything', async () => {
      server.files.set(
        '/org/repo/blob/main/catalog-info.yaml',
        [
          JSON.stringify({
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: { name: 'web' },
            spec: { type: 'website', lifecycle: 'production', owner: 'team', providesApis: ['web-api'] },
          }),
          JSON.stringify({
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Location',
            metadata: { name: 'more' },
            spec: { targets: ['./api/api.yaml'] },
          }),
        ].join('\n---\n'),
      );
      server.files.set(
        '/org/repo/blob/main/api/api.yaml',
        JSON.stringify({
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'API',
          metadata: { name: 'web-api' },
          spec: { type: 'openapi', lifecycle: 'production', owner: 'team', definition: 'openapi: 3.0.0' },
        }),
      );
      engine = testEngine(db().dataSource, {
        urlReader: server.reader,
        settings: { processingEnabled: false },
      });
      await engine.start();
      const target = `${server.base}/org/repo/blob/main/catalog-info.yaml`;
      const { location, exists } = await engine.locations.addLocation({ type: 'url', target });
      expect(exists).toBe(false);
      expect(location.entityRef).toMatch(/^location:default\/generated-[0-9a-f]{40}$/);
      await engine.processPending();

      const finals = await finalEntities(db().dataSource);
      expect([...finals.keys()].sort()).toEqual(
        ['api:default/web-api', 'component:default/web', 'location:default/more', location.entityRef].sort(),
      );
      expect(finals.get('api:default/web-api')!.metadata.annotations).toEqual({
        'backstage.io/managed-by-location': `url:${server.base}/org/repo/blob/main/api/api.yaml`,
        'backstage.io/managed-by-origin-location': `url:${target}`,
        'backstage.io/source-location': `url:${server.base}/org/repo/blob/main/api/`,
        'backstage.io/view-url': `${server.base}/org/repo/blob/main/api/api.yaml`,
        'backstage.io/edit-url': `${server.base}/org/repo/edit/main/api/api.yaml`,
      });
      expect(finals.get('api:default/web-api')!.relations).toEqual([
        { type: 'apiProvidedBy', targetRef: 'component:default/web' },
        { type: 'ownedBy', targetRef: 'group:default/team' },
      ]);

      await expect(engine.locations.addLocation({ type: 'url', target })).rejects.toThrow(/already exists/);
      const again = await engine.locations.addLocation({ type: 'url', target }, { onConflict: 'refresh' });
      expect(again).toEqual({ location, exists: true });

      await engine.locations.removeLocation(location.id);
      await engine.processPending();
      expect((await finalEntities(db().dataSource)).size).toBe(0);
      expect((await eventLog(db().dataSource)).filter((line) => line.endsWith('deleted'))).toHaveLength(4);
    });

    it('refuses a url on a host that is not allowed before registering it', async () => {
      engine = testEngine(db().dataSource, {
        urlReader: server.reader,
        settings: { processingEnabled: false },
      });
      await engine.start();
      await expect(
        engine.locations.addLocation({ type: 'url', target: 'https://elsewhere.example.com/a.yaml' }),
      ).rejects.toThrow(/not allowed/);
      expect(await engine.locations.listLocations()).toEqual([]);
    });
  });
});
