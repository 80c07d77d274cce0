import type { InstalledPlugin } from './discovery.js';
import { pluginExtensions, pluginPages } from './plugin-extensions.js';

function plugin(id: string, ui?: InstalledPlugin['manifest']['ui']): InstalledPlugin {
  return { id, version: '1.0.0', title: id, instances: 1, manifest: { id, version: '1.0.0', ui } };
}

const plugins = [
  plugin('techdocs', {
    entry: 'remoteEntry.js',
    pages: [{ module: './DocsPage', title: 'Docs', path: '/docs/' }],
    entityTabs: [
      { module: './DocsTab', title: 'Docs', kinds: ['component'], ifAnnotation: 'backstage.io/techdocs-ref' },
    ],
  }),
  plugin('catalog', {
    entry: 'remoteEntry.js',
    pages: [
      { module: './CatalogPage', title: 'Catalog', path: '/catalog', icon: 'catalog', nav: true },
      { module: './Hidden', title: 'Hidden', path: 'catalog-admin', nav: false },
    ],
    entityCards: [{ module: './AboutCard', title: 'About', path: 'about' }],
  }),
  plugin('rogue', {
    entry: 'remoteEntry.js',
    pages: [{ module: './Mine', title: 'Mine', path: '/catalog' }],
  }),
  plugin('permission'),
];

describe('manifests to routes and extensions', () => {
  it('makes one route per page path, normalised, first plugin by id wins a taken path', () => {
    expect(pluginPages(plugins).map((p) => [p.pluginId, p.path, p.nav, p.module])).toEqual([
      ['catalog', '/catalog', true, './CatalogPage'],
      ['catalog', '/catalog-admin', false, './Hidden'],
      ['techdocs', '/docs', true, './DocsPage'],
    ]);
  });

  it('collects entity tabs and cards with their conditions, and lists every plugin', () => {
    const extensions = pluginExtensions(plugins);
    expect(extensions.entityTabs).toEqual([
      expect.objectContaining({
        id: 'techdocs:./DocsTab',
        pluginId: 'techdocs',
        path: 'docs',
        kinds: ['component'],
        ifAnnotation: 'backstage.io/techdocs-ref',
      }),
    ]);
    expect(extensions.entityCards.map((c) => c.id)).toEqual(['catalog:./AboutCard']);
    expect(extensions.plugins.map((p) => [p.id, p.hasUi])).toEqual([
      ['techdocs', true],
      ['catalog', true],
      ['rogue', true],
      ['permission', false],
    ]);
  });
});
