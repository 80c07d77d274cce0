import { join } from 'node:path';
import { TempDir } from '../../testing/fixtures.js';
import { findConfigRoot, readConfigKinds } from './config-kinds.js';

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

describe('readConfigKinds', () => {
  const dir = new TempDir();
  afterAll(() => dir.remove());

  it('substitutes ${VAR} in catalog.kinds as the services do, and names entries by config key', async () => {
    dir.write(
      'app-config.yaml',
      'catalog:\n  kinds:\n    - { apiVersion: "${KIND_GROUP}/v1", kind: Widget, specSchema: { type: object } }\n',
    );
    const { source, configFiles } = await readConfigKinds({
      configPaths: [],
      cwd: dir.path,
      env: { PORTAL_ROOT: dir.path, KIND_GROUP: 'acme.io' },
    });
    expect(configFiles).toEqual([join(dir.path, 'app-config.yaml')]);
    expect(source.label).toBe('catalog.kinds (app-config.yaml)');
    expect(source.entries).toEqual([
      {
        where: 'catalog.kinds[0]',
        definition: { apiVersion: 'acme.io/v1', kind: 'Widget', specSchema: { type: 'object' } },
      },
    ]);
  });

  it('refuses a catalog.kinds that is not a list', async () => {
    dir.write('map.yaml', 'catalog:\n  kinds: { Widget: {} }\n');
    await expect(
      readConfigKinds({ configPaths: ['map.yaml'], cwd: dir.path, env: {} }),
    ).rejects.toMatchObject({
      details: ['catalog.kinds: must be a list of kind definitions, found an object'],
    });
  });
});
