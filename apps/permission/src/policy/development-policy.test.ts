import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parsePolicyDocument } from './policy-document.js';
import { PolicyEngine } from './policy-engine.js';
import type { Permission, Subject } from './types.js';

const file = fileURLToPath(new URL('../../policies/development.yaml', import.meta.url));
// The gateway's default guest identity (auth.providers.guest).
const guest: Subject = {
  userEntityRef: 'user:development/guest',
  ownershipEntityRefs: ['user:development/guest'],
  otherSubjects: [],
};
const someoneElse: Subject = {
  userEntityRef: 'user:default/jane',
  ownershipEntityRefs: ['user:default/jane'],
  otherSubjects: [],
};

const permissions: Permission[] = [
  {
    type: 'resource',
    name: 'catalog.entity.read',
    attributes: { action: 'read' },
    resourceType: 'catalog-entity',
  },
  {
    type: 'resource',
    name: 'catalog.entity.delete',
    attributes: { action: 'delete' },
    resourceType: 'catalog-entity',
  },
  { type: 'resource', name: 'catalog.entity.refresh', attributes: {}, resourceType: 'catalog-entity' },
  { type: 'basic', name: 'catalog.entity.create', attributes: { action: 'create' } },
  { type: 'basic', name: 'catalog.entity.validate', attributes: {} },
  { type: 'basic', name: 'catalog.location.read', attributes: { action: 'read' } },
  { type: 'basic', name: 'catalog.location.create', attributes: { action: 'create' } },
  { type: 'basic', name: 'catalog.location.delete', attributes: { action: 'delete' } },
  { type: 'basic', name: 'catalog.location.analyze', attributes: {} },
];

describe('the development policy (npm start)', () => {
  const engine = new PolicyEngine({
    policy: parsePolicyDocument(readFileSync(file, 'utf8')),
    superUsers: [],
  });

  it('lets the guest read and write the catalog, its locations, and refresh', () => {
    for (const p of permissions) expect([p.name, engine.decide(p, guest).result]).toEqual([p.name, 'ALLOW']);
  });

  it('grants nothing else and nobody else', () => {
    expect(
      engine.decide(
        { type: 'basic', name: 'permission.policy.write', attributes: { action: 'update' } },
        guest,
      ).result,
    ).toBe('DENY');
    expect(
      engine.decide(
        { type: 'basic', name: 'scaffolder.task.create', attributes: { action: 'create' } },
        guest,
      ).result,
    ).toBe('DENY');
    for (const p of permissions) expect(engine.decide(p, someoneElse).result).toBe('DENY');
  });
});
