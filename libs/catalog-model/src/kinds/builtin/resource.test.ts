import { expectParity, kindVariants } from '../../testing/entity-parity.js';
import { resourceKind } from './resource.js';

const base = { type: 'database', owner: 'team-a' };
const variants = kindVariants('Resource', base, ['type', 'owner', 'system', 'dependsOn']);

describe('Resource', () => {
  it(`accepts and refuses what Backstage does, over ${variants.length} entities`, async () => {
    await expectParity(variants);
  });

  it('relates to its owner, dependencies and system', () => {
    expect(resourceKind.relations.map((r) => `${r.field}:${r.type}/${r.inverse}:${r.defaultKind}`)).toEqual([
      'spec.owner:ownedBy/ownerOf:Group',
      'spec.dependsOn:dependsOn/dependencyOf:undefined',
      'spec.dependencyOf:dependencyOf/dependsOn:undefined',
      'spec.system:partOf/hasPart:System',
    ]);
  });
});
