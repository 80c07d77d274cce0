import { expectParity, kindVariants } from '../../testing/entity-parity.js';
import { systemKind } from './system.js';

const base = { owner: 'team-a' };
const variants = kindVariants('System', base, ['owner', 'domain', 'type']);

describe('System', () => {
  it(`accepts and refuses what Backstage does, over ${variants.length} entities`, async () => {
    await expectParity(variants);
  });

  it('relates to its owner and domain', () => {
    expect(systemKind.relations.map((r) => `${r.field}:${r.type}/${r.inverse}:${r.defaultKind}`)).toEqual([
      'spec.owner:ownedBy/ownerOf:Group',
      'spec.domain:partOf/hasPart:Domain',
    ]);
  });
});
