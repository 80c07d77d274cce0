import { InputError, PLATFORM_VERSION } from '@portal/platform';
import { checkManifest } from './manifest-check.js';

const manifest = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ id: 'catalog', version: '1.2.0', platform: `^${PLATFORM_VERSION}`, ...extra });

describe('checkManifest', () => {
  it('accepts a manifest for a platform version this gateway runs', () => {
    const m = checkManifest(
      'catalog',
      '1.2.0',
      manifest({ ui: { entry: 'remoteEntry.js', pages: [{ module: './Page', title: 'Catalog' }] } }),
    );
    expect(m.ui?.pages?.[0]?.title).toBe('Catalog');
  });

  it.each([
    ['not JSON', 'catalog', '1.2.0', '{', /not JSON/],
    ['another id', 'search', '1.2.0', manifest(), /does not match plugin id 'search'/],
    [
      'a reserved id',
      'auth',
      '1.2.0',
      JSON.stringify({ id: 'auth', version: '1.2.0', platform: '^1.0.0' }),
      /reserved/,
    ],
    ['a bad version', 'catalog', '1.2', manifest({ version: '1.2' }), /invalid version/],
    ['a version other than the registration', 'catalog', '1.3.0', manifest(), /invalid version/],
    [
      'an incompatible platform',
      'catalog',
      '1.2.0',
      manifest({ platform: '^2.0.0' }),
      /needs platform \^2\.0\.0, but this gateway runs platform/,
    ],
    [
      'a bad UI entry',
      'catalog',
      '1.2.0',
      manifest({ ui: { entry: '../../etc/passwd?x=<script>' } }),
      /invalid manifest/,
    ],
    [
      'a UI page without a title',
      'catalog',
      '1.2.0',
      manifest({ ui: { entry: 'e.js', pages: [{ module: './P' }] } }),
      /invalid manifest/,
    ],
  ])('refuses %s with a message saying why', (_name, pluginId, version, json, message) => {
    expect(() => checkManifest(pluginId, version, json)).toThrow(InputError);
    expect(() => checkManifest(pluginId, version, json)).toThrow(message);
  });
});
