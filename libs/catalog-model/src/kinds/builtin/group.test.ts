import { expectParity, fieldValues, kindVariants, entityOf } from '../../testing/entity-parity.js';
import { groupKind } from './group.js';

const base = { type: 'team', children: [] };
const profiles = [
  {},
  { displayName: 'Team A', email: 'a@example.com', picture: 'https://example.com/a.png' },
  ...['displayName', 'email', 'picture'].flatMap((field) => fieldValues.map((value) => ({ [field]: value }))),
];
const variants = [
  ...kindVariants('Group', base, ['type', 'children', 'parent', 'members', 'profile']),
  ...profiles.map((profile) => entityOf('Group', { ...base, profile })),
];

describe('Group', () => {
  it(`accepts and refuses what Backstage does, over ${variants.length} entities`, async () => {
    await expectParity(variants);
  });

  it('relates to its parent, children and members', () => {
    expect(groupKind.relations.map((r) => `${r.field}:${r.type}/${r.inverse}:${r.defaultKind}`)).toEqual([
      'spec.parent:childOf/parentOf:Group',
      'spec.children:parentOf/childOf:Group',
      'spec.members:hasMember/memberOf:User',
    ]);
  });
});
