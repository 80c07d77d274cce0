import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Config } from '@portal/platform';
import { silentLogger } from '../processing/testing/fixtures.js';
import type { EntityProviderConnection, EntityProviderMutation } from './entity-provider.js';
import { FileDiscoveryProvider } from './file-discovery-provider.js';

function recorder() {
  const mutations: EntityProviderMutation[] = [];
  const connection: EntityProviderConnection = {
    async applyMutation(mutation) {
      mutations.push(mutation);
      return { added: 0, updated: 0, deleted: 0, conflicts: [] };
    },
    async refresh() {},
  };
  const targets = (i = mutations.length - 1) => {
    const m = mutations[i]!;
    return m.type === 'full' ? m.entities.map((e) => e.entity.spec!.target) : [];
  };
  return { mutations, connection, targets };
}

describe('FileDiscoveryProvider', () => {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'discovery-')));
  const elsewhere = realpathSync(mkdtempSync(join(tmpdir(), 'discovery-elsewhere-')));
  for (const dir of ['a', 'b/c', 'node_modules/pkg', '.git/x'])
    mkdirSync(join(root, dir), { recursive: true });
  for (const file of [
    'catalog-info.yaml',
    'a/catalog-info.yaml',
    'b/c/catalog-info.yaml',
    'node_modules/pkg/catalog-info.yaml',
    '.git/x/catalog-info.yaml',
    'a/other.yaml',
  ]) {
    writeFileSync(join(root, file), '');
  }
  writeFileSync(join(elsewhere, 'catalog-info.yaml'), '');
  symlinkSync(elsewhere, join(root, 'link'));

  const provider = (glob = '**/catalog-info.yaml', dir = root) =>
    new FileDiscoveryProvider({ root: dir, glob, frequencyMs: 60_000, logger: silentLogger() });

  it('emits a file location per matching file, skipping node_modules, .git and symbolic links', async () => {
    const { connection, targets } = recorder();
    const p = provider();
    await p.connect(connection);
    await p.scan();
    await p.disconnect();
    expect(targets()).toEqual([
      join(root, 'a/catalog-info.yaml'),
      join(root, 'b/c/catalog-info.yaml'),
      join(root, 'catalog-info.yaml'),
    ]);
    expect(p.name).toBe(`FileDiscoveryProvider:${root}`);
  });

  it('follows a custom glob', async () => {
    const { connection, targets } = recorder();
    const p = provider('a/*.yaml');
    await p.connect(connection);
    await p.scan();
    await p.disconnect();
    expect(targets()).toEqual([join(root, 'a/catalog-info.yaml'), join(root, 'a/other.yaml')]);
  });

  it('scans once at connect and then on its schedule', async () => {
    const { connection, mutations } = recorder();
    const p = new FileDiscoveryProvider({ root, glob: '*.yaml', frequencyMs: 50, logger: silentLogger() });
    await p.connect(connection);
    await new Promise((resolve) => setTimeout(resolve, 180));
    await p.disconnect();
    const count = mutations.length;
    expect(count).toBeGreaterThanOrEqual(2);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(mutations.length).toBe(count);
  });

  it('does not empty the catalog when its root is missing', async () => {
    const gone = realpathSync(mkdtempSync(join(tmpdir(), 'discovery-gone-')));
    rmSync(gone, { recursive: true });
    const { connection, mutations } = recorder();
    const p = provider('**/catalog-info.yaml', gone);
    await p.connect(connection);
    expect(await p.scan()).toBeUndefined();
    await p.disconnect();
    expect(mutations).toEqual([]);
  });

  it('reads catalog.providers.fileDiscovery, refusing globs that leave the root', () => {
    const [p] = FileDiscoveryProvider.fromConfig(
      Config.fromObject({
        catalog: {
          providers: { fileDiscovery: [{ root: 'repos', schedule: { frequency: { minutes: 5 } } }] },
        },
      }),
      { logger: silentLogger(), rootDir: '/srv' },
    );
    expect(p!.name).toBe('FileDiscoveryProvider:/srv/repos');
    expect(() =>
      FileDiscoveryProvider.fromConfig(
        Config.fromObject({
          catalog: { providers: { fileDiscovery: [{ root: '/srv', glob: '../**/*.yaml' }] } },
        }),
        { logger: silentLogger() },
      ),
    ).toThrow(/fileDiscovery\[0\]\.glob/);
  });
});
