import { pluginIdOf } from './plugin-route.js';

describe('pluginIdOf', () => {
  it.each([
    ['/api/catalog/entities', 'catalog'],
    ['/api/catalog', 'catalog'],
    ['/api/catalog?x=1', 'catalog'],
    ['/plugins/catalog/remoteEntry.js', 'catalog'],
    ['/api/tech-docs/static', 'tech-docs'],
    ['/api/Catalog/x', undefined],
    ['/api/%2e%2e/etc', undefined],
    ['/api/%E0%A4%A/x', undefined],
    ['/apix/catalog', undefined],
    ['/catalog', undefined],
    ['/api/', undefined],
  ])('%s → %s', (path, expected) => {
    expect(pluginIdOf(path)).toBe(expected);
  });
});
