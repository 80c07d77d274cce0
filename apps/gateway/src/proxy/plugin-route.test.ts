import { isPublicUiAsset, pluginIdOf } from './plugin-route.js';

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

describe('isPublicUiAsset', () => {
  it.each([
    ['GET', '/plugins/catalog/remoteEntry.js', true],
    ['HEAD', '/plugins/catalog/assets/x-1234abcd.js', true],
    ['POST', '/plugins/catalog/remoteEntry.js', false],
    ['DELETE', '/plugins/catalog/assets/x.js', false],
    ['GET', '/api/catalog/entities', false],
    ['GET', '/api/plugins/catalog/x', false],
    ['GET', '/plugins/catalog', false],
  ])('%s %s → %s', (method, path, expected) => {
    expect(isPublicUiAsset(method, path)).toBe(expected);
  });
});
