import { MAX_GROUP_DEPTH, resolveOwnership } from './ownership.js';
import { FakeUserCatalog, group, user } from './testing/fake-user-catalog.js';
import { normalizeEntityRef } from './user-catalog.js';

describe('resolveOwnership', () => {
  it('is the user and its groups, transitively through parents (spec and relations)', async () => {
    const jane = user(
      'Jane',
      { memberOf: ['team-a', 'group:ops/oncall'] },
      {
        relations: [{ type: 'memberOf', targetRef: 'group:default/guild' }],
      },
    );
    const catalog = new FakeUserCatalog([
      jane,
      group('team-a', 'department'),
      group('department', 'group:default/org'),
      group('org'),
      group('oncall', undefined, {
        metadata: { name: 'oncall', namespace: 'ops' },
        relations: [{ type: 'childOf', targetRef: 'group:ops/sre' }],
      }),
      group('sre', undefined, { metadata: { name: 'sre', namespace: 'ops' } }),
      group('guild'),
    ]);
    expect(await resolveOwnership(catalog, jane)).toEqual([
      'user:default/jane',
      'group:default/department',
      'group:default/guild',
      'group:default/org',
      'group:default/team-a',
      'group:ops/oncall',
      'group:ops/sre',
    ]);
    // One round per level, never a group twice.
    expect(catalog.byRefCalls.flat().length).toBe(new Set(catalog.byRefCalls.flat()).size);
  });

  it('takes the namespace of the naming entity by default', async () => {
    const bob = user('bob', { memberOf: ['team-x'] }, { metadata: { name: 'bob', namespace: 'eu' } });
    const catalog = new FakeUserCatalog([
      bob,
      group('team-x', 'parent-x', { metadata: { name: 'team-x', namespace: 'eu' } }),
    ]);
    expect(await resolveOwnership(catalog, bob)).toEqual([
      'user:eu/bob',
      'group:eu/parent-x',
      'group:eu/team-x',
    ]);
  });

  it('ends on cycles', async () => {
    const u = user('u', { memberOf: ['a'] });
    const catalog = new FakeUserCatalog([u, group('a', 'b'), group('b', 'c'), group('c', 'a')]);
    expect(await resolveOwnership(catalog, u)).toEqual([
      'user:default/u',
      'group:default/a',
      'group:default/b',
      'group:default/c',
    ]);
    expect(catalog.byRefCalls.length).toBe(3);
    // A group that is its own parent.
    const self = user('s', { memberOf: ['me'] });
    expect(await resolveOwnership(new FakeUserCatalog([self, group('me', 'me')]), self)).toEqual([
      'user:default/s',
      'group:default/me',
    ]);
  });

  it(`stops after ${MAX_GROUP_DEPTH} levels of groups`, async () => {
    const chain = Array.from({ length: 30 }, (_, i) => group(`g${i}`, `g${i + 1}`));
    const u = user('deep', { memberOf: ['g0'] });
    const catalog = new FakeUserCatalog([u, ...chain]);
    const ent = await resolveOwnership(catalog, u);
    expect(ent).toHaveLength(1 + MAX_GROUP_DEPTH);
    expect(ent).toContain(`group:default/g${MAX_GROUP_DEPTH - 1}`);
    expect(ent).not.toContain(`group:default/g${MAX_GROUP_DEPTH}`);
    expect(catalog.byRefCalls.length).toBeLessThan(MAX_GROUP_DEPTH);
  });

  it('keeps groups the catalog does not have, ignores refs that are not groups or malformed', async () => {
    const u = user('u', { memberOf: ['ghost', 'user:default/other', 'bad ref!', 42] });
    expect(await resolveOwnership(new FakeUserCatalog([u]), u)).toEqual([
      'user:default/u',
      'group:default/ghost',
    ]);
  });

  it('asks for many groups in batches', async () => {
    const names = Array.from({ length: 250 }, (_, i) => `t${i}`);
    const u = user('wide', { memberOf: names });
    const catalog = new FakeUserCatalog([u, ...names.map((n) => group(n))]);
    const ent = await resolveOwnership(catalog, u);
    expect(ent).toHaveLength(251);
    expect(catalog.byRefCalls.map((c) => c.length)).toEqual([100, 100, 50]);
  });
});

describe('normalizeEntityRef', () => {
  it('fills in kind and namespace, lowercases, refuses malformed refs', () => {
    const d = { kind: 'group', namespace: 'default' };
    expect(normalizeEntityRef('Team-A', d)).toBe('group:default/team-a');
    expect(normalizeEntityRef('ops/SRE', d)).toBe('group:ops/sre');
    expect(normalizeEntityRef('Group:ops/sre', d)).toBe('group:ops/sre');
    for (const bad of ['', 'a:b:c', 'a/b/c', 'x y', 42, undefined, 'a'.repeat(600)]) {
      expect(normalizeEntityRef(bad, d)).toBeUndefined();
    }
  });
});
