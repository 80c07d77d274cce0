import { Config } from '@portal/platform';
import { configuredKindNames } from './kind-registry.provider.js';
import { readKindsSettings } from './kinds-settings.js';

describe('readKindsSettings / configuredKindNames', () => {
  it('defaults to open writes and a 5 s poll', () => {
    expect(readKindsSettings(Config.fromObject({}))).toEqual({ pollMs: 5000 });
  });

  it('reads the allow list and the polling interval, and refuses a too short one', () => {
    const config = Config.fromObject({
      catalog: { kindsApi: { allow: ['ci'], pollingInterval: { seconds: 2 } } },
    });
    expect(readKindsSettings(config)).toEqual({ allow: ['ci'], pollMs: 2000 });
    expect(() =>
      readKindsSettings(
        Config.fromObject({ catalog: { kindsApi: { pollingInterval: { milliseconds: 10 } } } }),
      ),
    ).toThrow(/catalog\.kindsApi\.pollingInterval/);
  });

  it('names the configured kinds in lowercase', () => {
    const config = Config.fromObject({
      catalog: { kinds: [{ kind: 'Widget', apiVersion: 'a/v1', specSchema: {} }, { kind: 'GADGET' }] },
    });
    expect([...configuredKindNames(config)]).toEqual(['widget', 'gadget']);
    expect(configuredKindNames(Config.fromObject({})).size).toBe(0);
  });
});
