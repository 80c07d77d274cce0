import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parsePolicyFile } from './policy-file-format.js';
import { PolicyEngine } from './policy-engine.js';
import type { Permission, Subject } from './types.js';

const policyFile = (name: string) => fileURLToPath(new URL(`../../policies/${name}`, import.meta.url));
const engineFor = (name: string) =>
  new PolicyEngine({
    policy: parsePolicyFile(policyFile(name), readFileSync(policyFile(name), 'utf8')),
    superUsers: [],
  });

const resource = (name: string, action?: 'read' | 'delete' | 'update'): Permission => ({
  type: 'resource',
  name,
  attributes: action ? { action } : {},
  resourceType: 'catalog-entity',
});
const basic = (name: string, action?: 'read' | 'create' | 'update' | 'delete'): Permission => ({
  type: 'basic',
  name,
  attributes: action ? { action } : {},
});

// The catalog's permissions as it publishes them (apps/catalog/src/permissions/permissions.ts),
// the permission service's own, and some of other plugins.
const permissions: Permission[] = [
  resource('catalog.entity.read', 'read'),
  resource('catalog.entity.delete', 'delete'),
  resource('catalog.entity.refresh', 'update'),
  basic('catalog.entity.create', 'create'),
  basic('catalog.entity.validate'),
  basic('catalog.location.read', 'read'),
  basic('catalog.location.create', 'create'),
  basic('catalog.location.delete', 'delete'),
  basic('catalog.location.analyze'),
  basic('permission.policy.read', 'read'),
  basic('permission.policy.write', 'update'),
  basic('scaffolder.task.create', 'create'),
  {
    type: 'resource',
    name: 'scaffolder.template.read',
    attributes: { action: 'read' },
    resourceType: 'scaffolder-template',
  },
];
const subjects: Subject[] = [
  {
    userEntityRef: 'user:development/guest',
    ownershipEntityRefs: ['user:development/guest'],
    otherSubjects: [],
  },
  {
    userEntityRef: 'user:default/jane',
    ownershipEntityRefs: ['user:default/jane', 'group:default/team-a'],
    otherSubjects: [],
  },
  { ownershipEntityRefs: [], otherSubjects: ['plugin:scaffolder'] },
];

describe('policies/example.csv', () => {
  it('gives the same decisions as policies/development.yaml', () => {
    const yaml = engineFor('development.yaml');
    const csv = engineFor('example.csv');
    const decisions = (engine: PolicyEngine) =>
      subjects.flatMap((s) =>
        permissions.map(
          (p) => `${s.userEntityRef ?? s.otherSubjects[0]} ${p.name} ${engine.decide(p, s).result}`,
        ),
      );
    expect(decisions(csv)).toEqual(decisions(yaml));
    // And they are not trivially equal: the guest is allowed the catalog and nobody else is.
    expect(decisions(csv).filter((d) => d.endsWith('ALLOW'))).toHaveLength(10);
    expect(
      decisions(csv).filter((d) => d.startsWith('user:development/guest') && d.endsWith('ALLOW')),
    ).toHaveLength(10);
  });
});
