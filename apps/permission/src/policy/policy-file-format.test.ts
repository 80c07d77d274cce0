import { parsePolicyFile, policyFileFormat } from './policy-file-format.js';

describe('policy file formats', () => {
  it('is chosen by the extension, case-insensitively', () => {
    expect(policyFileFormat('/etc/portal/policy.yaml')).toBe('yaml');
    expect(policyFileFormat('policy.YML')).toBe('yaml');
    expect(policyFileFormat('rbac-policy.csv')).toBe('csv');
    expect(policyFileFormat('policy.json')).toBeUndefined();
    expect(policyFileFormat('policy')).toBeUndefined();
  });

  it('parses each format with its parser', () => {
    const csv = parsePolicyFile('p.csv', 'p, role:default/r, catalog.entity.create, create, allow\n');
    const yaml = parsePolicyFile(
      'p.yaml',
      'roles: [{name: r}]\ngrants: [{role: r, permission: catalog.entity.create, action: create}]\n',
    );
    expect(csv.grants.map(({ id: _id, ...g }) => g)).toEqual(yaml.grants.map(({ id: _id, ...g }) => g));
    // The same text is not taken for the other format.
    expect(() => parsePolicyFile('p.yaml', 'p, role:default/r, x.y, read, allow')).toThrow('mapping');
    expect(() => parsePolicyFile('p.csv', 'roles: []')).toThrow('line 1');
  });

  it('refuses other extensions', () => {
    expect(() => parsePolicyFile('policy.json', '{}')).toThrow('.yaml, .yml or .csv');
  });
});
