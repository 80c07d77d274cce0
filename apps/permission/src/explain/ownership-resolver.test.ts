import {
  normalizeRef,
  parentRefsOf,
  resolveOwnershipRefs,
  type EntityFetcher,
} from './ownership-resolver.js';

const entities: Record<string, unknown> = {
  'user:default/jane': {
    kind: 'User',
    metadata: { name: 'jane', namespace: 'default' },
    spec: { memberOf: ['team-a'] },
    relations: [
      { type: 'memberOf', targetRef: 'group:default/team-a' },
      { type: 'ownerOf', targetRef: 'component:default/x' },
    ],
  },
  'group:default/team-a': { kind: 'Group', metadata: { name: 'team-a' }, spec: { parent: 'engineering' } },
  'group:default/engineering': {
    kind: 'Group',
    metadata: { name: 'engineering' },
    relations: [{ type: 'childOf', targetRef: 'group:default/org' }],
  },
  // A cycle back to team-a must not loop.
  'group:default/org': { kind: 'Group', metadata: { name: 'org' }, spec: { parent: 'group:default/team-a' } },
};

const fetcher: EntityFetcher = async (refs) => refs.map((r) => (entities[r] as never) ?? null);

describe('ownership resolution', () => {
  it('normalises refs like Backstage', () => {
    expect(normalizeRef('team-a', 'group', 'ns')).toBe('group:ns/team-a');
    expect(normalizeRef('group:Team-A', 'user')).toBe('group:default/team-a');
    expect(normalizeRef('user:x/Jane', 'user')).toBe('user:x/jane');
  });

  it('reads memberOf and parent groups from relations and spec', () => {
    expect(parentRefsOf(entities['user:default/jane'] as never)).toEqual(['group:default/team-a']);
    expect(parentRefsOf(entities['group:default/engineering'] as never)).toEqual(['group:default/org']);
  });

  it('resolves the user and every group transitively', async () => {
    expect(await resolveOwnershipRefs('user:default/jane', fetcher)).toEqual({
      found: true,
      refs: ['user:default/jane', 'group:default/team-a', 'group:default/engineering', 'group:default/org'],
    });
  });

  it('a user missing from the catalog has only their own ref; a failing catalog throws', async () => {
    expect(await resolveOwnershipRefs('user:default/nobody', fetcher)).toEqual({
      found: false,
      refs: ['user:default/nobody'],
    });
    await expect(
      resolveOwnershipRefs('user:default/jane', () => Promise.reject(new Error('unavailable'))),
    ).rejects.toThrow('unavailable');
  });
});
