import { expectParity, kindVariants } from '../../testing/entity-parity.js';
import { KindRegistry } from '../kind-registry.js';
import { validateEntity } from '../../validation/validate-entity.js';
import { componentKind } from './component.js';

const base = { type: 'service', lifecycle: 'production', owner: 'team-a' };
const variants = kindVariants('Component', base, [
  'type',
  'lifecycle',
  'owner',
  'system',
  'subcomponentOf',
  'providesApis',
  'consumesApis',
  'dependsOn',
]);

describe('Component', () => {
  it(`accepts and refuses what Backstage does, over ${variants.length} entities`, async () => {
    await expectParity(variants);
  });

  it('requires spec.dependencyOf to be a list of refs, which Backstage leaves unchecked', () => {
    const kinds = new KindRegistry();
    const entity = (dependencyOf: unknown) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'a' },
      spec: { ...base, dependencyOf },
    });
    expect(validateEntity(entity(['component:b']), kinds)).toEqual([]);
    expect(validateEntity(entity('component:b'), kinds)).toEqual([
      { path: 'spec.dependencyOf', message: 'must be array' },
    ]);
  });

  it('names its relations as the relations table does', () => {
    expect(componentKind.relations.map((r) => [r.field, r.type, r.inverse, r.defaultKind])).toEqual([
      ['spec.owner', 'ownedBy', 'ownerOf', 'Group'],
      ['spec.subcomponentOf', 'partOf', 'hasPart', 'Component'],
      ['spec.providesApis', 'providesApi', 'apiProvidedBy', 'API'],
      ['spec.consumesApis', 'consumesApi', 'apiConsumedBy', 'API'],
      ['spec.dependsOn', 'dependsOn', 'dependencyOf', undefined],
      ['spec.dependencyOf', 'dependencyOf', 'dependsOn', undefined],
      ['spec.system', 'partOf', 'hasPart', 'System'],
    ]);
  });
});
