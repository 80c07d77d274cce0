import { join } from 'node:path';
import { KindRegistry, validateEntity } from '@portal/catalog-model';
import { BAD_KIND_CONFIG, TempDir, WIDGET_CONFIG } from '../testing/fixtures.js';
import { ConfigurationError, findConfigRoot, loadKinds, registerConfiguredKinds } from './load-kinds.js';

const widget = {
  apiVersion: 'acme.io/v1',
  kind: 'Widget',
  specSchema: { type: 'object', required: ['size'], properties: { size: { type: 'integer' } } },
  relations: [],
};

describe('registerConfiguredKinds', () => {
  it('registers every definition of the list', () => {
    const kinds = new KindRegistry();
    expect(registerConfiguredKinds(kinds, [widget, { ...widget, kind: 'Gadget' }])).toEqual([]);
    expect(kinds.get('Widget')?.definition.apiVersion).toEqual(['acme.io/v1']);
    expect(kinds.get('Gadget')).toBeDefined();
  });

  it('accepts an absent key', () => {
    expect(registerConfiguredKinds(new KindRegistry(), undefined)).toEqual([]);
  });

  it('refuses a value that is not a list', () => {
    expect(registerConfiguredKinds(new KindRegistry(), { Widget: widget })).toEqual([
      'catalog.kinds: must be a list of kind definitions, found an object',
    ]);
  });

  it('names the key of each problem of a bad definition, and still registers the good ones', () => {
    const kinds = new KindRegistry();
    const errors = registerConfiguredKinds(kinds, [
      widget,
      { ...widget, kind: 'Gadget', relations: [{ field: 'owner', type: 'ownedBy', inverse: 'ownerOf' }] },
      { apiVersion: 'acme.io/v1', kind: 'Thing' },
    ]);
    expect(errors).toEqual([
      expect.stringMatching(/^catalog\.kinds\[1\]\.relations\[0\]\.field: must match pattern/),
      'catalog.kinds[2].specSchema: is required',
    ]);
    expect(kinds.get('Widget')).toBeDefined();
  });

  it('refuses a kind that clashes with a built-in one, and a kind defined twice', () => {
    const errors = registerConfiguredKinds(new KindRegistry(), [
      { ...widget, kind: 'Component' },
      widget,
      { ...widget, kind: 'widget' },
    ]);
    expect(errors).toEqual([
      'catalog.kinds[0]: Kind "Component" clashes with the built-in kind "Component"',
      'catalog.kinds[2].kind: kind "widget" is already defined at catalog.kinds[1]',
    ]);
  });
});

describe('findConfigRoot', () => {
  const dir = new TempDir();
  beforeAll(() => dir.write('app-config.yaml', 'app: {}\n'));
  afterAll(() => dir.remove());

  it('finds the nearest folder up that holds app-config.yaml', () => {
    expect(findConfigRoot(join(dir.path, 'a', 'b'), {})).toBe(dir.path);
  });

  it('takes PORTAL_ROOT when it holds app-config.yaml, and nothing else then', () => {
    expect(findConfigRoot('/', { PORTAL_ROOT: dir.path })).toBe(dir.path);
    expect(findConfigRoot(dir.path, { PORTAL_ROOT: join(dir.path, 'empty') })).toBeUndefined();
  });
});

describe('loadKinds', () => {
  const dir = new TempDir();
  beforeAll(() => {
    dir.write('widgets.yaml', WIDGET_CONFIG);
    dir.write('bad.yaml', BAD_KIND_CONFIG);
    dir.write('not-yaml.yaml', 'catalog: [unclosed\n');
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
});
