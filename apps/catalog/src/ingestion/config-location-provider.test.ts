import { Config } from '@portal/platform';
import { ConfigLocationProvider } from './config-location-provider.js';
import type { EntityProviderConnection, EntityProviderMutation } from './entity-provider.js';

describe('ConfigLocationProvider', () => {
  it('emits one generated Location per catalog.locations entry as a full mutation', async () => {
    const mutations: EntityProviderMutation[] = [];
    const connection: EntityProviderConnection = {
      async applyMutation(mutation) {
        mutations.push(mutation);
        return { added: 0, updated: 0, deleted: 0, conflicts: [] };
      },
      async refresh() {},
    };
    const provider = new ConfigLocationProvider(
      Config.fromObject({
        catalog: {
          locations: [
            { type: 'file', target: 'examples/all.yaml', rules: [{ allow: ['Group'] }] },
            { type: 'url', target: 'https://example.com/catalog-info.yaml' },
          ],
        },
      }),
      '/repo',
    );
    await provider.connect(connection);
    expect(mutations).toHaveLength(1);
    const mutation = mutations[0]!;
    expect(mutation.type).toBe('full');
    const entities = mutation.type === 'full' ? mutation.entities : [];
    expect(entities.map((e) => [e.entity.spec, e.locationKey])).toEqual([
      [{ type: 'file', target: '/repo/examples/all.yaml' }, 'file:/repo/examples/all.yaml'],
      [
        { type: 'url', target: 'https://example.com/catalog-info.yaml' },
        'url:https://example.com/catalog-info.yaml',
      ],
    ]);
  });

  it('emits an empty full mutation without locations (removing what it emitted before)', async () => {
    const mutations: EntityProviderMutation[] = [];
    await new ConfigLocationProvider(Config.fromObject({})).connect({
      async applyMutation(mutation) {
        mutations.push(mutation);
        return { added: 0, updated: 0, deleted: 0, conflicts: [] };
      },
      async refresh() {},
    });
    expect(mutations).toEqual([{ type: 'full', entities: [] }]);
  });

  it('names a bad entry', () => {
    expect(
      () =>
        new ConfigLocationProvider(
          Config.fromObject({ catalog: { locations: [{ type: 'github', target: 'x' }] } }),
        ),
    ).toThrow(/catalog\.locations\[0\]\.type/);
    expect(
      () => new ConfigLocationProvider(Config.fromObject({ catalog: { locations: [{ type: 'url' }] } })),
    ).toThrow(/catalog\.locations\[0\]\.target/);
  });
});
