import { Config } from '@portal/platform';
import type { Entity } from '@portal/catalog-model';
import { CatalogRules } from './catalog-rules.js';

const entity = (kind: string, type?: string): Entity =>
  ({
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name: 'x' },
    spec: type ? { type } : {},
  }) as Entity;
const url = (target: string) => ({ type: 'url', target });

describe('CatalogRules', () => {
  it('defaults to Component, API and Location from anywhere, as Backstage does', () => {
    const rules = CatalogRules.fromConfig(Config.fromObject({}));
    expect(rules.isAllowed(entity('Component'), url('https://x/a.yaml'))).toBe(true);
    expect(rules.isAllowed(entity('api'), url('https://x/a.yaml'))).toBe(true);
    expect(rules.isAllowed(entity('Location'), undefined)).toBe(true);
    expect(rules.isAllowed(entity('Group'), url('https://x/a.yaml'))).toBe(false);
    expect(rules.isAllowed(entity('User'), url('https://x/a.yaml'))).toBe(false);
  });

  it('reads catalog.rules with kinds, spec.type and location matchers (exact, target, pattern)', () => {
    const rules = CatalogRules.fromConfig(
      Config.fromObject({
        catalog: {
          rules: [
            { allow: ['Component'] },
            { allow: [{ kind: 'Resource', 'spec.type': 'database' }] },
            {
              allow: ['Template'],
              locations: [{ type: 'url', pattern: 'https://git.example.com/*/templates/**' }],
            },
            { allow: ['Group'], locations: [{ type: 'file', exact: '/org/groups.yaml' }] },
            { allow: ['User'], locations: [{ type: 'file', target: '/org/users.yaml' }] },
          ],
        },
      }),
    );
    expect(rules.isAllowed(entity('API'), url('https://x'))).toBe(false);
    expect(rules.isAllowed(entity('Resource', 'Database'), url('https://x'))).toBe(true);
    expect(rules.isAllowed(entity('Resource', 's3'), url('https://x'))).toBe(false);
    expect(rules.isAllowed(entity('Template'), url('https://git.example.com/org/templates/a/t.yaml'))).toBe(
      true,
    );
    expect(rules.isAllowed(entity('Template'), url('https://git.example.com/org/other/t.yaml'))).toBe(false);
    expect(
      rules.isAllowed(entity('Template'), {
        type: 'file',
        target: 'https://git.example.com/org/templates/t.yaml',
      }),
    ).toBe(false);
    expect(rules.isAllowed(entity('Group'), { type: 'file', target: '/org/groups.yaml' })).toBe(true);
    expect(rules.isAllowed(entity('Group'), { type: 'file', target: '/org/users.yaml' })).toBe(false);
    expect(rules.isAllowed(entity('User'), { type: 'file', target: '/org/users.yaml' })).toBe(true);
    expect(rules.isAllowed(entity('Group'), undefined)).toBe(false);
  });

  it('adds the rules of catalog.locations entries for exactly that location, keeping the defaults', () => {
    const rules = CatalogRules.fromConfig(
      Config.fromObject({
        catalog: {
          locations: [
            { type: 'file', target: 'org/all.yaml', rules: [{ allow: ['Group', 'User'] }] },
            { type: 'url', target: 'https://x/a.yaml' },
          ],
        },
      }),
      '/repo',
    );
    expect(rules.isAllowed(entity('Group'), { type: 'file', target: '/repo/org/all.yaml' })).toBe(true);
    expect(rules.isAllowed(entity('Group'), url('https://x/a.yaml'))).toBe(false);
    expect(rules.isAllowed(entity('Component'), url('https://x/a.yaml'))).toBe(true);
  });

  it('names the bad key of an invalid rule', () => {
    expect(() =>
      CatalogRules.fromConfig(Config.fromObject({ catalog: { rules: [{ allow: 'Component' }] } })),
    ).toThrow(/catalog\.rules\[0\]\.allow must be a list of kinds/);
    expect(() =>
      CatalogRules.fromConfig(Config.fromObject({ catalog: { rules: [{ allow: [{ kind: 3 }] }] } })),
    ).toThrow(/catalog\.rules\[0\]\.allow\[0\]/);
    expect(() =>
      CatalogRules.fromConfig(
        Config.fromObject({
          catalog: { rules: [{ allow: ['A'], locations: [{ type: 'url', exact: 'a', pattern: 'b' }] }] },
        }),
      ),
    ).toThrow(/cannot have both/);
  });
});
