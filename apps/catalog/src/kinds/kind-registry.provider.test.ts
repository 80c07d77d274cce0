import { Config } from '@portal/platform';
import { kindRegistryFromConfig } from './kind-registry.provider.js';

const widget = { apiVersion: 'acme.io/v1', kind: 'Widget', specSchema: { type: 'object' } };

describe('kindRegistryFromConfig', () => {
  it('adds the kinds of catalog.kinds to the built-in ones', () => {
    const registry = kindRegistryFromConfig(Config.fromObject({ catalog: { kinds: [widget] } }));
    expect(registry.get('Widget')?.builtin).toBe(false);
    expect(registry.get('Component')?.builtin).toBe(true);
  });

  it('refuses to start with every bad key named, as portal catalog validate names them', () => {
    const config = Config.fromObject({
      catalog: {
        kinds: [
          widget,
          { ...widget, kind: 'widget' },
          { ...widget, kind: 'Gadget', relations: [{ field: 'owner', type: 'ownedBy', inverse: 'ownerOf' }] },
        ],
      },
    });
    expect(() => kindRegistryFromConfig(config)).toThrow(
      /^Invalid configuration: catalog\.kinds\[1\]\.kind: kind "widget" is already defined at catalog\.kinds\[0\]; catalog\.kinds\[2\]\.relations\[0\]\.field: must match pattern/,
    );
  });

  it('refuses a catalog.kinds that is not a list', () => {
    expect(() =>
      kindRegistryFromConfig(Config.fromObject({ catalog: { kinds: { Widget: widget } } })),
    ).toThrow('Invalid configuration: catalog.kinds: must be a list of kind definitions, found an object');
  });
});
