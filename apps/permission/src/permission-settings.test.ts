import { isAbsolute } from 'node:path';
import { Config } from '@portal/platform';
import { readPermissionSettings } from './permission-settings.js';

describe('permission settings', () => {
  it('accepts YAML and CSV policy files, resolved from the repository root', () => {
    for (const file of ['policies/p.yaml', 'policies/p.yml', 'policies/rbac-policy.csv', 'P.CSV']) {
      const settings = readPermissionSettings(Config.fromObject({ permission: { policyFile: file } }));
      expect(isAbsolute(settings.policyFile!)).toBe(true);
    }
    expect(readPermissionSettings(Config.fromObject({})).policyFile).toBeUndefined();
  });

  it('refuses to start with a policy file of another format, naming the key', () => {
    expect(() =>
      readPermissionSettings(Config.fromObject({ permission: { policyFile: 'policy.json' } })),
    ).toThrow(
      "Invalid configuration: permission.policyFile must end in .yaml, .yml or .csv (the format is chosen by the extension), got 'policy.json'",
    );
  });
});
