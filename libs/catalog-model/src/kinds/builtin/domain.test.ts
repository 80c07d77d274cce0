import { expectParity, kindVariants } from '../../testing/entity-parity.js';
import { domainKind } from './domain.js';

const base = { owner: 'team-a' };
const variants = kindVariants('Domain', base, ['owner', 'subdomainOf', 'type']);

describe('Domain', () => {
  it(`accepts and refuses what Backstage does, over ${variants.length} entities`, async () => {
    await expectParity(variants);
  });

  it('relates to its owner and parent domain', () => {
    expect(domainKind.relations.map((r) => `${r.field}:${r.type}/${r.inverse}:${r.defaultKind}`)).toEqual([
      'spec.owner:ownedBy/ownerOf:Group',
      'spec.subdomainOf:partOf/hasPart:Domain',
    ]);
  });
});
