import { join } from 'node:path';
import { validateEntity } from '@portal/catalog-model';
import {
  BAD_KIND_CONFIG,
  closedPort,
  GADGET_KINDS_FILE,
  TempDir,
  WIDGET_CONFIG,
  WIDGET_KINDS_FILE,
} from '../testing/fixtures.js';
import { CatalogUnreachableError, ConfigurationError, loadKinds } from './load-kinds.js';

const widget = {
  apiVersion: 'acme.io/v1',
  kind: 'Widget',
  specSchema: { type: 'object', required: ['size'], properties: { size: { type: 'integer' } } },
  relations: [],
};

describe('loadKinds', () => {
  const dir = new TempDir();
  beforeAll(() => {
    dir.write('widgets.yaml', WIDGET_CONFIG);
    dir.write('bad.yaml', BAD_KIND_CONFIG);
    dir.write('not-yaml.yaml', 'catalog: [unclosed\n');
    dir.write('kinds/widget.yaml', WIDGET_KINDS_FILE);
    dir.write('kinds/gadget.yaml', GADGET_KINDS_FILE);
  });
  afterAll(() => dir.remove());

  const entity = {
    apiVersion: 'acme.io/v1',
    kind: 'Widget',
    metadata: { name: 'sprocket' },
    spec: { size: 2, owner: 'team-a' },
  };

  it('knows only the built-in kinds without config', async () => {
    const loaded = await loadKinds({
      configPaths: [],
      cwd: dir.path,
      env: { PORTAL_ROOT: join(dir.path, 'x') },
    });
    expect(loaded.configFiles).toEqual([]);
    expect(loaded.kinds.get('Component')).toBeDefined();
    expect(loaded.kinds.get('Widget')).toBeUndefined();
  });

  it('adds the kinds of catalog.kinds from the --config files', async () => {
    const loaded = await loadKinds({ configPaths: ['widgets.yaml'], cwd: dir.path, env: {} });
    expect(loaded.configFiles).toEqual([join(dir.path, 'widgets.yaml')]);
    expect(validateEntity(entity, loaded.kinds)).toEqual([]);
  });

  it('reads catalog.kinds after the overlays and APP_CONFIG_ overrides, as the services do', async () => {
    const loaded = await loadKinds({
      configPaths: ['widgets.yaml', 'bad.yaml'],
      cwd: dir.path,
      env: { APP_CONFIG_catalog_kinds: JSON.stringify([widget]) },
    });
    expect(validateEntity({ ...entity, spec: { size: 2 } }, loaded.kinds)).toEqual([]);
  });

  it('throws a ConfigurationError naming the key of a bad definition', async () => {
    const failure = loadKinds({ configPaths: ['bad.yaml'], cwd: dir.path, env: {} });
    await expect(failure).rejects.toBeInstanceOf(ConfigurationError);
    await expect(failure).rejects.toMatchObject({
      details: [expect.stringMatching(/^catalog\.kinds\[1\]\.relations\[0\]\.field: /)],
    });
  });

  it('throws a ConfigurationError naming a file that cannot be read or parsed', async () => {
    await expect(loadKinds({ configPaths: ['none.yaml'], cwd: dir.path, env: {} })).rejects.toMatchObject({
      details: [expect.stringContaining(`${join(dir.path, 'none.yaml')} does not exist`)],
    });
    await expect(loadKinds({ configPaths: ['not-yaml.yaml'], cwd: dir.path, env: {} })).rejects.toMatchObject(
      {
        details: [expect.stringContaining('is not valid YAML')],
      },
    );
  });

  it('adds the kinds of --kinds files, with the configuration first', async () => {
    const loaded = await loadKinds({
      configPaths: ['widgets.yaml'],
      kindsFiles: ['kinds/widget.yaml', 'kinds/gadget.yaml'],
      cwd: dir.path,
      env: {},
    });
    expect(loaded.customKinds).toEqual([
      { kind: 'Widget', source: 'catalog.kinds[0]' },
      { kind: 'Gadget', source: 'kinds/gadget.yaml document #1' },
    ]);
    // The kinds file's Widget (no required size) is left out: catalog.kinds defines Widget.
    expect(loaded.notes).toEqual([
      'kind "Widget" of kinds/widget.yaml document #1 is left out: catalog.kinds[0] defines it',
    ]);
    expect(validateEntity({ ...entity, spec: { owner: 'team-a' } }, loaded.kinds)).toEqual([
      { path: 'spec.size', message: 'is required' },
    ]);
  });

  it('throws a ConfigurationError naming the file, document and key of a bad kind definition', async () => {
    dir.write(
      'kinds/bad.yaml',
      'apiVersion: acme.io/v1\nkind: Thing\nspecSchema: {type: object}\nextra: 1\n',
    );
    const failure = loadKinds({ configPaths: [], kindsFiles: ['kinds/bad.yaml'], cwd: dir.path, env: {} });
    await expect(failure).rejects.toMatchObject({
      heading: 'the custom kind definitions are not usable',
      details: ['kinds/bad.yaml document #1: extra: is not an allowed field'],
    });
  });

  it('throws CatalogUnreachableError, naming the URL, when the catalog cannot be asked', async () => {
    const port = await closedPort();
    const failure = loadKinds({
      configPaths: [],
      catalog: { baseUrl: `http://127.0.0.1:${port}` },
      cwd: dir.path,
      env: {},
    });
    await expect(failure).rejects.toBeInstanceOf(CatalogUnreachableError);
    await expect(failure).rejects.toMatchObject({ url: `http://127.0.0.1:${port}/api/catalog/kinds` });
  });
});
