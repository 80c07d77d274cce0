import { entityOf, expectParity, fieldValues, kindVariants } from '../../testing/entity-parity.js';
import { userKind } from './user.js';

const base = { memberOf: ['team-a'] };
const profiles = ['displayName', 'email', 'picture'].flatMap((field) =>
  fieldValues.map((value) => ({ displayName: 'Jo', [field]: value })),
);
const variants = [
  ...kindVariants('User', base, ['memberOf', 'profile']),
  ...profiles.map((profile) => entityOf('User', { ...base, profile })),
];

describe('User', () => {
  it(`accepts and refuses what Backstage does, over ${variants.length} entities`, async () => {
    await expectParity(variants);
  });

  it('relates to its groups', () => {
    expect(userKind.relations.map((r) => `${r.field}:${r.type}/${r.inverse}:${r.defaultKind}`)).toEqual([
      'spec.memberOf:memberOf/hasMember:Group',
    ]);
  });
});
