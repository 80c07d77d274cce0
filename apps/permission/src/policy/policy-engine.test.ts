import { PolicyEngine, permissionMatches, pluginIdByConvention } from './policy-engine.js';
import type { ConditionalGrant, Grant, Permission, PolicySet, Role, Subject } from './types.js';

const role = (name: string, members: string[]): Role => ({ name, members, source: 'file' });
const grant = (id: string, g: Omit<Grant, 'id' | 'source'>): Grant => ({ id, ...g, source: 'file' });
const cond = (id: string, g: Omit<ConditionalGrant, 'id' | 'source'>): ConditionalGrant => ({
  id,
  ...g,
  source: 'file',
});

const entityRead: Permission = {
  type: 'resource',
  name: 'catalog.entity.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
};
const entityDelete: Permission = {
  type: 'resource',
  name: 'catalog.entity.delete',
  attributes: { action: 'delete' },
  resourceType: 'catalog-entity',
};
const entityRefresh: Permission = {
  type: 'resource',
  name: 'catalog.entity.refresh',
  attributes: {},
  resourceType: 'catalog-entity',
};
const entityCreate: Permission = {
  type: 'basic',
  name: 'catalog.entity.create',
  attributes: { action: 'create' },
};
const locationRead: Permission = {
  type: 'basic',
  name: 'catalog.location.read',
  attributes: { action: 'read' },
};
const templateRead: Permission = {
  type: 'resource',
  name: 'scaffolder.template.read',
  attributes: { action: 'read' },
  resourceType: 'scaffolder-template',
};

const jane: Subject = {
  userEntityRef: 'user:default/jane',
  ownershipEntityRefs: ['user:default/jane', 'group:default/team-a', 'group:default/engineering'],
  otherSubjects: [],
};
const bob: Subject = {
  userEntityRef: 'user:default/bob',
  ownershipEntityRefs: ['user:default/bob'],
  otherSubjects: [],
};
const robot: Subject = { ownershipEntityRefs: [], otherSubjects: ['plugin:scaffolder'] };

const owner = { rule: 'IS_ENTITY_OWNER', params: { claims: '$ownershipRefs' } };
const isComponent = { rule: 'IS_ENTITY_KIND', params: { kinds: ['Component'] } };

function engine(
  policy: Partial<PolicySet>,
  superUsers: string[] = [],
  pluginIdFor?: (t: string) => string | undefined,
) {
  return new PolicyEngine({
    policy: { roles: [], grants: [], conditions: [], ...policy },
    superUsers,
    pluginIdFor,
  });
}

describe('PolicyEngine', () => {
  it('denies by default: no roles, no grants, or no subject at all', () => {
    expect(engine({}).decide(entityRead, jane)).toEqual({ result: 'DENY' });
    expect(engine({ roles: [role('r', ['user:default/jane'])] }).decide(entityRead, jane)).toEqual({
      result: 'DENY',
    });
    expect(
      engine({
        roles: [role('r', ['user:default/jane'])],
        grants: [grant('g', { role: 'r', permission: '*' })],
      }).decide(entityRead, { ownershipEntityRefs: [], otherSubjects: [] }),
    ).toEqual({ result: 'DENY' });
    const e = engine({});
    expect(e.explain(entityRead, jane).reason).toContain('default deny');
  });

  it('matches members by user ref and by any group in the ownership refs, case-insensitively, and says which ref', () => {
    const e = engine({
      roles: [
        role('devs', ['group:default/Engineering']),
        role('self', ['user:default/jane']),
        role('others', ['group:default/x']),
      ],
      grants: [grant('g1', { role: 'devs', permission: 'catalog.location.read' })],
    });
    expect(e.rolesOf(jane)).toEqual([
      { name: 'devs', source: 'file', matchedBy: 'group:default/engineering' },
      { name: 'self', source: 'file', matchedBy: 'user:default/jane' },
    ]);
    expect(e.decide(locationRead, jane)).toEqual({ result: 'ALLOW' });
    expect(e.decide(locationRead, bob)).toEqual({ result: 'DENY' });
    // The user ref counts even when the token's ent omits it.
    const bare: Subject = { userEntityRef: 'user:default/jane', ownershipEntityRefs: [], otherSubjects: [] };
    expect(e.rolesOf(bare).map((r) => r.name)).toEqual(['self']);
  });

  it('grants by permission name, `*`, and `prefix.*` patterns', () => {
    expect(permissionMatches('catalog.*', 'catalog.entity.read')).toBe(true);
    expect(permissionMatches('catalog.*', 'catalogue.read')).toBe(false);
    expect(permissionMatches('catalog.entity.*', 'catalog.location.read')).toBe(false);
    expect(permissionMatches('*', 'anything')).toBe(true);
    expect(permissionMatches('catalog.entity.read', 'catalog.entity.read')).toBe(true);
    expect(permissionMatches('catalog.entity.read', 'catalog.entity.readx')).toBe(false);
    const e = engine({
      roles: [role('r', ['user:default/jane'])],
      grants: [grant('g', { role: 'r', permission: 'catalog.*' })],
    });
    for (const p of [entityRead, entityDelete, entityCreate, locationRead, entityRefresh])
      expect(e.decide(p, jane).result).toBe('ALLOW');
    expect(e.decide(templateRead, jane).result).toBe('DENY');
  });

  it('grants by resource type and action (or every action with *)', () => {
    const e = engine({
      roles: [role('readers', ['user:default/jane']), role('all', ['user:default/bob'])],
      grants: [
        grant('g1', { role: 'readers', resourceType: 'catalog-entity', action: 'read' }),
        grant('g2', { role: 'all', resourceType: 'catalog-entity', action: '*' }),
      ],
    });
    expect(e.decide(entityRead, jane).result).toBe('ALLOW');
    expect(e.decide(entityDelete, jane).result).toBe('DENY');
    expect(e.decide(entityRefresh, jane).result).toBe('DENY'); // no action: only `*` covers it
    expect(e.decide(entityCreate, jane).result).toBe('DENY'); // basic: no resource type
    expect(e.decide(entityDelete, bob).result).toBe('ALLOW');
    expect(e.decide(entityRefresh, bob).result).toBe('ALLOW');
    expect(e.decide(templateRead, bob).result).toBe('DENY');
  });

  it('narrows a permission grant by action', () => {
    const e = engine({
      roles: [role('r', ['user:default/jane'])],
      grants: [grant('g', { role: 'r', permission: 'catalog.*', action: 'read' })],
    });
    expect(e.decide(locationRead, jane).result).toBe('ALLOW');
    expect(e.decide(entityCreate, jane).result).toBe('DENY');
  });

  it('superusers (user or group refs) are allowed everything, even with no role', () => {
    const e = engine({}, ['group:default/admins', 'user:default/bob']);
    expect(e.decide(templateRead, bob)).toEqual({ result: 'ALLOW' });
    expect(
      e.decide(entityDelete, {
        ...jane,
        ownershipEntityRefs: [...jane.ownershipEntityRefs, 'group:default/ADMINS'],
      }),
    ).toEqual({ result: 'ALLOW' });
    expect(e.explain(templateRead, bob).superUser).toEqual({ matchedBy: 'user:default/bob' });
    expect(e.decide(templateRead, jane)).toEqual({ result: 'DENY' });
  });

  it('a conditional grant gives CONDITIONAL with placeholders expanded for the user', () => {
    const e = engine({
      roles: [role('r', ['group:default/team-a'])],
      conditions: [
        cond('c', { role: 'r', resourceType: 'catalog-entity', action: 'read', conditions: owner }),
      ],
    });
    expect(e.decide(entityRead, jane)).toEqual({
      result: 'CONDITIONAL',
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: { claims: jane.ownershipEntityRefs },
      },
    });
    expect(e.decide(entityDelete, jane).result).toBe('DENY'); // other action
    expect(e.decide(locationRead, jane).result).toBe('DENY'); // basic permissions are never conditional
    expect(e.decide(entityRead, bob).result).toBe('DENY');
  });

  it('unconditional ALLOW wins over conditional grants', () => {
    const e = engine({
      roles: [role('a', ['user:default/jane']), role('b', ['group:default/team-a'])],
      grants: [grant('g', { role: 'b', permission: 'catalog.entity.read' })],
      conditions: [cond('c', { role: 'a', resourceType: 'catalog-entity', conditions: owner })],
    });
    expect(e.decide(entityRead, jane)).toEqual({ result: 'ALLOW' });
    const explained = e.explain(entityRead, jane);
    expect(explained.grants.map((g) => g.id)).toEqual(['g']);
    expect(explained.conditionalGrants.map((g) => g.id)).toEqual(['c']);
  });

  it('several conditional grants (from one or several roles) combine with anyOf', () => {
    const e = engine({
      roles: [role('a', ['user:default/jane']), role('b', ['group:default/team-a'])],
      conditions: [
        cond('c1', { role: 'a', resourceType: 'catalog-entity', conditions: owner }),
        cond('c2', {
          role: 'b',
          resourceType: 'catalog-entity',
          permission: 'catalog.entity.read',
          conditions: { allOf: [isComponent, { not: { rule: 'HAS_LABEL', params: { label: 'secret' } } }] },
        }),
      ],
    });
    expect(e.decide(entityRead, jane)).toEqual({
      result: 'CONDITIONAL',
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        anyOf: [
          {
            rule: 'IS_ENTITY_OWNER',
            resourceType: 'catalog-entity',
            params: { claims: jane.ownershipEntityRefs },
          },
          {
            allOf: [
              { rule: 'IS_ENTITY_KIND', resourceType: 'catalog-entity', params: { kinds: ['Component'] } },
              { not: { rule: 'HAS_LABEL', resourceType: 'catalog-entity', params: { label: 'secret' } } },
            ],
          },
        ],
      },
    });
    // c2 is narrowed to read: delete only gets c1.
    expect(e.decide(entityDelete, jane).conditions).toEqual({
      rule: 'IS_ENTITY_OWNER',
      resourceType: 'catalog-entity',
      params: { claims: jane.ownershipEntityRefs },
    });
  });

  it('takes the owning plugin from the grant, else the registry, else the resource type name', () => {
    const conditions = [
      cond('c', { role: 'r', resourceType: 'scaffolder-template', conditions: isComponent }),
    ];
    const roles = [role('r', ['user:default/jane'])];
    expect(engine({ roles, conditions }).decide(templateRead, jane).pluginId).toBe('scaffolder');
    expect(engine({ roles, conditions }, [], () => 'templates').decide(templateRead, jane).pluginId).toBe(
      'templates',
    );
    expect(
      engine({ roles, conditions: [{ ...conditions[0]!, pluginId: 'mine' }] }, [], () => 'templates').decide(
        templateRead,
        jane,
      ).pluginId,
    ).toBe('mine');
    expect(pluginIdByConvention('catalog-entity')).toBe('catalog');
    expect(pluginIdByConvention('widget')).toBe('widget');
  });

  it('a decision for no user: only grants to the plugin subject; conditions naming the user are skipped', () => {
    const e = engine({
      roles: [role('robots', ['plugin:scaffolder']), role('people', ['user:default/jane'])],
      grants: [grant('g', { role: 'robots', permission: 'catalog.location.read' })],
      conditions: [
        cond('c1', { role: 'robots', resourceType: 'catalog-entity', conditions: owner }),
        cond('c2', { role: 'robots', resourceType: 'scaffolder-template', conditions: isComponent }),
      ],
    });
    expect(e.decide(locationRead, robot).result).toBe('ALLOW');
    expect(e.decide(entityCreate, robot).result).toBe('DENY');
    expect(e.decide(entityRead, robot).result).toBe('DENY');
    expect(e.explain(entityRead, robot).skipped).toEqual([
      { id: 'c1', reason: expect.stringContaining('no user') },
    ]);
    expect(e.decide(templateRead, robot).result).toBe('CONDITIONAL');
    // What a plugin is granted does not apply to a user.
    expect(e.decide(locationRead, jane).result).toBe('DENY');
  });

  it('$currentUser expands to the user ref, inside arrays too', () => {
    const e = engine({
      roles: [role('r', ['user:default/jane'])],
      conditions: [
        cond('c', {
          role: 'r',
          resourceType: 'catalog-entity',
          conditions: {
            rule: 'HAS_SPEC',
            params: { key: 'owner', value: '$currentUser', list: ['$currentUser', '$ownershipRefs', 'x'] },
          },
        }),
      ],
    });
    expect(e.decide(entityRead, jane).conditions).toEqual({
      rule: 'HAS_SPEC',
      resourceType: 'catalog-entity',
      params: {
        key: 'owner',
        value: 'user:default/jane',
        list: ['user:default/jane', ...jane.ownershipEntityRefs, 'x'],
      },
    });
  });

  it('`use` matches permissions that have no action (Red Hat Developer Hub), and only those', () => {
    const e = engine({
      roles: [role('r', ['user:default/jane'])],
      grants: [grant('g', { role: 'r', resourceType: 'catalog-entity', action: 'use' })],
    });
    expect(e.decide(entityRefresh, jane).result).toBe('ALLOW');
    expect(e.decide(entityRead, jane).result).toBe('DENY');
    expect(e.decide(entityDelete, jane).result).toBe('DENY');
  });

  it('a deny grant wins over allows of the same or other roles, and over conditional grants', () => {
    const policy: Partial<PolicySet> = {
      roles: [role('readers', ['group:default/team-a']), role('blocked', ['user:default/jane'])],
      grants: [
        grant('allow', { role: 'readers', resourceType: 'catalog-entity', action: 'read' }),
        grant('deny', { role: 'blocked', resourceType: 'catalog-entity', action: 'read', effect: 'deny' }),
        grant('allow-loc', { role: 'readers', permission: 'catalog.location.read' }),
      ],
      conditions: [cond('c', { role: 'readers', resourceType: 'catalog-entity', conditions: owner })],
    };
    const e = engine(policy);
    const explained = e.explain(entityRead, jane);
    expect(explained.decision).toEqual({ result: 'DENY' });
    expect(explained.reason).toContain("denied to role 'blocked'");
    expect(explained.skipped).toEqual([{ id: 'c', reason: expect.stringContaining("grant 'deny'") }]);
    // Other permissions are untouched; someone without the denying role is allowed.
    expect(e.decide(locationRead, jane).result).toBe('ALLOW');
    const teamMate: Subject = { ...bob, ownershipEntityRefs: ['user:default/bob', 'group:default/team-a'] };
    expect(e.decide(entityRead, teamMate).result).toBe('ALLOW');
    // A deny for another action does not apply.
    expect(e.decide(entityDelete, jane).result).toBe('CONDITIONAL');
    // Superusers are above denies.
    expect(engine(policy, ['user:default/jane']).decide(entityRead, jane).result).toBe('ALLOW');
  });

  it('grants naming the permission take precedence over grants naming its resource type', () => {
    const e = engine({
      roles: [role('r', ['user:default/jane'])],
      grants: [
        grant('type-deny', { role: 'r', resourceType: 'catalog-entity', action: 'read', effect: 'deny' }),
        grant('named-allow', { role: 'r', permission: 'catalog.entity.read', action: 'read' }),
        grant('type-allow', { role: 'r', resourceType: 'catalog-entity', action: 'delete' }),
        grant('named-deny', { role: 'r', permission: 'catalog.entity.delete', effect: 'deny' }),
      ],
    });
    const read = e.explain(entityRead, jane);
    expect(read.decision.result).toBe('ALLOW');
    expect(read.grants.map((g) => g.id)).toEqual(['named-allow']);
    expect(read.skipped).toEqual([{ id: 'type-deny', reason: expect.stringContaining('precedence') }]);
    expect(e.decide(entityDelete, jane).result).toBe('DENY');
  });
});
