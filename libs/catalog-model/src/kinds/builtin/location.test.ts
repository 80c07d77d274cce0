import { entityOf, expectParity, kindVariants } from '../../testing/entity-parity.js';
import { locationKind } from './location.js';

const base = { type: 'url', target: 'https://example.com/catalog-info.yaml' };
const variants = [
  ...kindVariants('Location', base, ['type', 'target', 'targets', 'presence']),
  ...['required', 'optional', 'Required', 'maybe'].map((presence) =>
    entityOf('Location', { ...base, presence }),
  ),
  entityOf('Location', { targets: ['./a.yaml', './b.yaml'] }),
];

describe('Location', () => {
  it(`accepts and refuses what Backstage does, over ${variants.length} entities`, async () => {
    await expectParity(variants);
  });

  it('implies no relations', () => {
    expect(locationKind.relations).toEqual([]);
  });
});
