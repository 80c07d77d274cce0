import { parseCsvPolicy, roleNameOf } from './csv-policy.js';
import { PolicyEngine } from './policy-engine.js';
import type { Permission, Subject } from './types.js';

const entityRead: Permission = {
  type: 'resource',
  name: 'catalog.entity.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
};
const entityRefresh: Permission = { ...entityRead, name: 'catalog.entity.refresh', attributes: {} };
const entityCreate: Permission = {
  type: 'basic',
  name: 'catalog.entity.create',
  attributes: { action: 'create' },
};

describe('CSV policy files (Red Hat Developer Hub format)', () => {
  it('maps p lines to grants and g lines to role members, skipping comments and blank lines', () => {
    const policy = parseCsvPolicy(
      [
        '\uFEFF# a comment',
        '',
        'p, role:default/guests, catalog-entity, read, allow',
        '  # an indented comment',
        'p, role:default/guests, catalog.entity.create, create, deny',
        'p,role:default/guests,"catalog.entity.refresh",use,allow',
        'g, user:default/Jane, role:default/guests',
        'g, group:default/team-a, role:default/guests',
        'g, user:default/jane, role:default/guests',
        'p, role:platform/admins, permission.policy.write, update, allow',
        'p, role:default/guests, catalog-entity, read, allow',
        '\r',
      ].join('\r\n'),
    );
    expect(policy.roles).toEqual([
      { name: 'guests', members: ['user:default/jane', 'group:default/team-a'], source: 'file' },
      { name: 'platform:admins', members: [], source: 'file' },
    ]);
    expect(policy.grants).toEqual([
      { id: 'file-line-3', role: 'guests', resourceType: 'catalog-entity', action: 'read', source: 'file' },
      {
        id: 'file-line-5',
        role: 'guests',
        permission: 'catalog.entity.create',
        action: 'create',
        effect: 'deny',
        source: 'file',
      },
      {
        id: 'file-line-6',
        role: 'guests',
        permission: 'catalog.entity.refresh',
        action: 'use',
        source: 'file',
      },
      {
        id: 'file-line-10',
        role: 'platform:admins',
        permission: 'permission.policy.write',
        action: 'update',
        source: 'file',
      },
    ]);
    expect(policy.conditions).toEqual([]);
  });

  it('an empty file, or only comments, is an empty policy', () => {
    expect(parseCsvPolicy('')).toEqual({ roles: [], grants: [], conditions: [] });
    expect(parseCsvPolicy('# nothing\n\n   \n')).toEqual({ roles: [], grants: [], conditions: [] });
  });

  it('decides as Red Hat Developer Hub: deny wins, named permissions over resource types, use for no action', () => {
    const engine = new PolicyEngine({
      superUsers: [],
      policy: parseCsvPolicy(`
p, role:default/readers, catalog-entity, read, allow
p, role:default/readers, catalog-entity, use, allow
p, role:default/blocked, catalog-entity, read, deny
p, role:default/creators, catalog.entity.create, create, allow
p, role:default/creators, catalog-entity, read, deny
p, role:default/creators, catalog.entity.read, read, allow
g, group:default/team-a, role:default/readers
g, user:default/mallory, role:default/blocked
g, user:default/carol, role:default/creators
`),
    });
    const user = (name: string, groups: string[] = []): Subject => ({
      userEntityRef: `user:default/${name}`,
      ownershipEntityRefs: [`user:default/${name}`, ...groups],
      otherSubjects: [],
    });
    const jane = user('jane', ['group:default/team-a']);
    const mallory = user('mallory', ['group:default/team-a']);
    const carol = user('carol');
    expect(engine.decide(entityRead, jane).result).toBe('ALLOW');
    expect(engine.decide(entityRefresh, jane).result).toBe('ALLOW');
    expect(engine.decide(entityCreate, jane).result).toBe('DENY');
    // A deny of any of the user's roles wins.
    expect(engine.decide(entityRead, mallory).result).toBe('DENY');
    expect(engine.decide(entityRefresh, mallory).result).toBe('ALLOW');
    // A line naming the permission wins over one naming its resource type.
    expect(engine.decide(entityRead, carol).result).toBe('ALLOW');
    expect(engine.decide(entityCreate, carol).result).toBe('ALLOW');
    expect(engine.decide(entityRead, user('nobody')).result).toBe('DENY');
  });

  it('maps role refs to role names', () => {
    expect(roleNameOf('role:default/guests')).toBe('guests');
    expect(roleNameOf('role:team-a/ops.admins')).toBe('team-a:ops.admins');
    expect(roleNameOf('role:default/')).toBeUndefined();
    expect(roleNameOf('role:Default/x')).toBeUndefined();
    expect(roleNameOf(`role:default/${'a'.repeat(64)}`)).toBeUndefined();
  });

  it.each([
    ['p, role:default/a, catalog-entity, read', 'line 1: a policy line has 5 fields'],
    ['p, role:default/a, catalog-entity, read, allow, extra', 'line 1: a policy line has 5 fields'],
    ['\n\np, guests, catalog-entity, read, allow', "line 3: the role 'guests' must be a role ref"],
    [
      'p, user:default/a, catalog-entity, read, allow',
      "line 1: the role 'user:default/a' must be a role ref",
    ],
    ['p, role:default/a, catalog.*, read, allow', "line 1: 'catalog.*' is not a permission name"],
    ['p, role:default/a, *, read, allow', "line 1: '*' is neither a permission name"],
    ['p, role:default/a, Catalog-Entity, read, allow', "line 1: 'Catalog-Entity' is neither"],
    ['p, role:default/a, catalog-entity, write, allow', "line 1: the action 'write' must be one of"],
    ['p, role:default/a, catalog-entity, *, allow', "line 1: the action '*' must be one of"],
    ['p, role:default/a, catalog-entity, read, ALLOW', "line 1: the effect 'ALLOW' must be allow or deny"],
    [
      'p, role:default/a, catalog-entity, read, allow\np, role:default/a, catalog-entity, read, deny',
      'line 2: it denies what line 1 allows',
    ],
    ['g, user:default/jane', 'line 1: a role line has 3 fields'],
    ['g, jane, role:default/a', "line 1: the member 'jane' must be a full user or group ref"],
    ['g, user:jane, role:default/a', "line 1: the member 'user:jane' must be a full user or group ref"],
    ['g, role:default/b, role:default/a', 'line 1: roles cannot be members of roles'],
    [
      'g, user:default/jane, group:default/team',
      "line 1: 'group:default/team' is not a role: group membership comes from the catalog",
    ],
    ['g, user:default/jane, admins', "line 1: the role 'admins' must be a role ref"],
    [
      'p2, role:default/a, x, read, allow',
      "line 1: a line starts with p (a policy) or g (a role member), not 'p2'",
    ],
    ['# ok\np, "role:default/a, x', 'line 2: a quoted field is not closed'],
  ])('refuses %j', (text, message) => {
    expect(() => parseCsvPolicy(text)).toThrow(message);
  });
});
