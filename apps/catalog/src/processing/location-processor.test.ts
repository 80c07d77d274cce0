import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Config, FileReader, UrlReader } from '@portal/platform';
import type { Entity } from '@portal/catalog-model';
import { CatalogRules } from './catalog-rules.js';
import { LocationProcessor } from './location-processor.js';
import { silentLogger } from './testing/fixtures.js';
import { startFileServer, type FileServer } from './testing/http-server.js';

function location(
  type: string | undefined,
  targets: string[],
  managedBy: string,
  origin = managedBy,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Location',
    metadata: {
      name: 'loc',
      annotations: {
        'backstage.io/managed-by-location': managedBy,
        'backstage.io/managed-by-origin-location': origin,
      },
    },
    spec: { ...(type ? { type } : {}), targets },
  };
}

const componentYaml = (name: string, extra = '') => `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}${extra}
spec:
  type: service
  lifecycle: production
  owner: team-a
`;

describe('LocationProcessor with files', () => {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'locations-')));
  const outside = realpathSync(mkdtempSync(join(tmpdir(), 'outside-')));
  mkdirSync(join(root, 'nested'));
  writeFileSync(join(root, 'multi.yaml'), `${componentYaml('one')}---\n${componentYaml('two')}\n---\n`);
  writeFileSync(
    join(root, 'nested', 'more.yaml'),
    `${componentYaml('three')}---
apiVersion: backstage.io/v1alpha1
kind: Location
metadata:
  name: deeper
spec:
  targets: [./deeper.yaml]
`,
  );
  writeFileSync(
    join(root, 'group.yaml'),
    `apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: g\nspec:\n  type: team\n  children: []\n`,
  );
  writeFileSync(join(root, 'broken.yaml'), `${componentYaml('fine')}---\nkind: [unclosed\n`);
  writeFileSync(
    join(root, 'nameless.yaml'),
    `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {}\n`,
  );
  writeFileSync(join(outside, 'secret.yaml'), componentYaml('secret'));
  writeFileSync(join(root, 'nul.yaml'), componentYaml('nul', '\n  description: "a \\0 b"'));

  const processor = new LocationProcessor({
    urlReader: new UrlReader({ allow: [] }),
    fileReader: new FileReader([root]),
    rules: CatalogRules.fromConfig(Config.fromObject({})),
    logger: silentLogger(),
  });
  const self = `file:${join(root, 'all.yaml')}`;

  it('reads multi-document files and nested relative targets, annotating each child', async () => {
    const result = await processor.process(
      location('file', ['./multi.yaml', './nested/more.yaml'], self),
      'location:default/loc',
    );
    expect(result.errors).toEqual([]);
    expect(result.keptLocationKeys).toEqual([]);
    expect(result.children.map((c) => [c.entityRef, c.locationKey])).toEqual([
      ['component:default/one', `file:${root}/multi.yaml`],
      ['component:default/two', `file:${root}/multi.yaml`],
      ['component:default/three', `file:${root}/nested/more.yaml`],
      ['location:default/deeper', `file:${root}/nested/more.yaml`],
    ]);
    expect(result.children[2]!.entity.metadata.annotations).toEqual({
      'backstage.io/managed-by-location': `file:${root}/nested/more.yaml`,
      'backstage.io/managed-by-origin-location': self,
    });
    expect(result.children[0]!.hash).toMatch(/^[0-9a-f]{40}$/);
  });

  it('takes the type from its own location when the spec names none', async () => {
    const result = await processor.process(
      location(undefined, ['./multi.yaml'], self),
      'location:default/loc',
    );
    expect(result.children).toHaveLength(2);
  });

  it('refuses kinds the rules do not allow for the origin, keeping the rest', async () => {
    const result = await processor.process(
      location('file', ['./group.yaml', './multi.yaml'], self),
      'location:default/loc',
    );
    expect(result.children.map((c) => c.entityRef)).toEqual([
      'component:default/one',
      'component:default/two',
    ]);
    expect(result.errors).toEqual([
      {
        name: 'NotAllowedError',
        message: `Entity group:default/g at file:${root}/group.yaml, originated at ${self}, is not of an allowed kind for that location`,
      },
    ]);
    expect(result.keptLocationKeys).toEqual([]);
  });

  it('keeps the children of a broken, nameless, missing or refused file and says why', async () => {
    const result = await processor.process(
      location(
        'file',
        ['./broken.yaml', './nameless.yaml', './missing.yaml', join(outside, 'secret.yaml'), './multi.yaml'],
        self,
      ),
      'location:default/loc',
    );
    expect(result.children.map((c) => c.entityRef)).toEqual([
      'component:default/one',
      'component:default/two',
    ]);
    expect(result.keptLocationKeys).toEqual([
      `file:${root}/broken.yaml`,
      `file:${root}/nameless.yaml`,
      `file:${root}/missing.yaml`,
      `file:${outside}/secret.yaml`,
    ]);
    expect(result.errors.map((e) => e.name)).toEqual([
      'InputError',
      'InputError',
      'NotFoundError',
      'NotAllowedError',
    ]);
    expect(result.errors[0]!.message).toMatch(/Unable to parse file:.*broken\.yaml, document 2: YAML error/);
    expect(result.errors[1]!.message).toMatch(/document 1 has no metadata\.name/);
    expect(result.errors[2]!.message).toMatch(/Unable to read file:.*missing\.yaml/);
    expect(result.errors[3]!.message).toMatch(/not under a configured file root/);
  });

  it('refuses a document PostgreSQL could not store (a NUL character), keeping that file', async () => {
    const result = await processor.process(location('file', ['./nul.yaml'], self), 'location:default/loc');
    expect(result.children).toEqual([]);
    expect(result.keptLocationKeys).toEqual([`file:${root}/nul.yaml`]);
    expect(result.errors[0]!.message).toMatch(/document 1 contains a NUL character/);
  });

  it('treats a missing optional target as empty', async () => {
    const entity = location('file', ['./missing.yaml'], self);
    entity.spec!.presence = 'optional';
    expect(await processor.process(entity, 'location:default/loc')).toEqual({
      children: [],
      errors: [],
      keptLocationKeys: [],
    });
  });

  it('reports two documents with the same ref, and relative targets it cannot resolve', async () => {
    const twice = await processor.process(
      location('file', ['./multi.yaml', './multi.yaml'], self),
      'location:default/loc',
    );
    expect(twice.children).toHaveLength(2);
    expect(twice.errors.map((e) => e.name)).toEqual(['ConflictError', 'ConflictError']);
    const unresolvable = await processor.process(
      location('file', ['./x.yaml'], 'url:https://example.com/a.yaml'),
      'location:default/loc',
    );
    expect(unresolvable.errors).toEqual([
      { name: 'InputError', message: "Relative file target './x.yaml' needs a Location read from a file" },
    ]);
    const unsupported = await processor.process(location('github', ['x'], self), 'location:default/loc');
    expect(unsupported.errors[0]!.message).toMatch(/location type 'github' is not supported/);
  });
});

describe('LocationProcessor with urls', () => {
  let server: FileServer;
  let processor: LocationProcessor;
  beforeAll(async () => {
    server = await startFileServer({
      '/org/repo/blob/main/catalog-info.yaml': `${componentYaml('web')}---
apiVersion: backstage.io/v1alpha1
kind: Location
metadata:
  name: apis
spec:
  targets: [./apis/api.yaml]
`,
      '/org/repo/blob/main/apis/api.yaml': componentYaml('api-impl'),
    });
    processor = new LocationProcessor({
      urlReader: server.reader,
      fileReader: new FileReader([]),
      rules: CatalogRules.fromConfig(Config.fromObject({})),
      logger: silentLogger(),
    });
  });
  afterAll(() => server.close());

  it('reads a url target and adds the source, view and edit annotations', async () => {
    const target = `${server.base}/org/repo/blob/main/catalog-info.yaml`;
    const result = await processor.process(
      location('url', [target], `url:${target}`),
      'location:default/loc',
    );
    expect(result.errors).toEqual([]);
    expect(result.children.map((c) => c.entityRef)).toEqual([
      'component:default/web',
      'location:default/apis',
    ]);
    expect(result.children[0]!.entity.metadata.annotations).toEqual({
      'backstage.io/managed-by-location': `url:${target}`,
      'backstage.io/managed-by-origin-location': `url:${target}`,
      'backstage.io/source-location': `url:${server.base}/org/repo/blob/main/`,
      'backstage.io/view-url': target,
      'backstage.io/edit-url': `${server.base}/org/repo/edit/main/catalog-info.yaml`,
    });
  });

  it('resolves a relative url against the Location it came from', async () => {
    const parent = `${server.base}/org/repo/blob/main/catalog-info.yaml`;
    const result = await processor.process(
      location(undefined, ['./apis/api.yaml'], `url:${parent}`),
      'location:default/apis',
    );
    expect(result.children.map((c) => [c.entityRef, c.locationKey])).toEqual([
      ['component:default/api-impl', `url:${server.base}/org/repo/blob/main/apis/api.yaml`],
    ]);
  });

  it('reports a missing url and a host that is not allowed, keeping their children', async () => {
    const missing = `${server.base}/org/repo/blob/main/gone.yaml`;
    const result = await processor.process(
      location('url', [missing, 'https://not-allowed.example.com/x.yaml'], `url:${missing}`),
      'location:default/loc',
    );
    expect(result.keptLocationKeys).toEqual([`url:${missing}`, 'url:https://not-allowed.example.com/x.yaml']);
    expect(result.errors.map((e) => e.name)).toEqual(['NotFoundError', 'NotAllowedError']);
  });
});
