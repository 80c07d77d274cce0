import { parseConditionalGrant, parseGrant, parsePolicyDocument, parseRole } from './policy-document.js';

describe('policy documents', () => {
  it('parses roles, grants and conditional grants from YAML', () => {
    const policy = parsePolicyDocument(`
roles:
  - name: devs
    description: Developers
    members: [group:default/team-a, user:default/jane, group:default/team-a]
grants:
  - role: devs
    permission: catalog.*
  - role: devs
    resourceType: catalog-entity
    action: read
conditions:
  - role: devs
    resourceType: catalog-entity
    action: delete
    conditions:
      allOf:
        - rule: IS_ENTITY_OWNER
          params: { claims: $ownershipRefs }
`);
    expect(policy.roles).toEqual([
      {
        name: 'devs',
        description: 'Developers',
        members: ['group:default/team-a', 'user:default/jane'],
        source: 'file',
      },
    ]);
    expect(policy.grants).toEqual([
      { id: 'file-grant-0', role: 'devs', permission: 'catalog.*', source: 'file' },
      { id: 'file-grant-1', role: 'devs', resourceType: 'catalog-entity', action: 'read', source: 'file' },
    ]);
    expect(policy.conditions[0]).toMatchObject({
      id: 'file-condition-0',
      resourceType: 'catalog-entity',
      action: 'delete',
      conditions: { allOf: [{ rule: 'IS_ENTITY_OWNER', params: { claims: '$ownershipRefs' } }] },
    });
  });

  it('an empty file is an empty policy', () => {
    expect(parsePolicyDocument('')).toEqual({ roles: [], grants: [], conditions: [] });
  });

  it.each([
    ['roles: [ {name: a', 'not valid YAML'],
    ['- a\n- b', 'must be a mapping'],
    ['rules: []', '<root>.rules is not a known key'],
    ['roles: {}', 'roles must be a list'],
    ['roles: [{members: []}]', 'roles[0].name is required'],
    ['roles: [{name: "bad name"}]', 'roles[0].name is not a valid value'],
    ['roles: [{name: a, members: [jane]}]', 'roles[0].members[0] must be an entity ref'],
    ['roles: [{name: a}, {name: a}]', "roles[1].name 'a' is defined twice"],
    [
      'roles: [{name: a}]\ngrants: [{role: b, permission: x}]',
      "grants[0].role 'b' is not a role of this file",
    ],
    ['roles: [{name: a}]\ngrants: [{role: a}]', 'grants[0] needs a permission or a resourceType'],
    [
      'roles: [{name: a}]\ngrants: [{role: a, permission: x, action: write}]',
      'grants[0].action must be one of',
    ],
    [
      'roles: [{name: a}]\ngrants: [{role: a, permission: "x y"}]',
      'grants[0].permission is not a valid value',
    ],
    [
      'roles: [{name: a}]\nconditions: [{role: a, conditions: {rule: X}}]',
      'conditions[0].resourceType is required',
    ],
    ['roles: [{name: a}]\nconditions: [{role: a, resourceType: t}]', 'conditions[0].conditions is required'],
    [
      'roles: [{name: a}]\nconditions: [{role: a, resourceType: t, conditions: {allOf: []}}]',
      'conditions[0].conditions.allOf must be a non-empty array',
    ],
  ])('refuses %j', (text, message) => {
    expect(() => parsePolicyDocument(text)).toThrow(message);
  });

  it('refuses YAML alias bombs', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 0; i < 8; i++)
      bomb.push(
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(97 + i)}`)
          .join(',')}]`,
      );
    expect(() => parsePolicyDocument(bomb.join('\n'))).toThrow();
  });

  it('parses admin API bodies with the given source and id', () => {
    expect(parseRole({ name: 'r', members: ['plugin:scaffolder'] }, 'role', 'database')).toEqual({
      name: 'r',
      members: ['plugin:scaffolder'],
      source: 'database',
    });
    expect(parseGrant({ role: 'r', permission: 'a.b' }, 'grant', 'database', 'g1')).toEqual({
      id: 'g1',
      role: 'r',
      permission: 'a.b',
      source: 'database',
    });
    expect(
      parseGrant(
        { role: 'r', resourceType: 'a-b', action: 'use', effect: 'deny' },
        'grant',
        'database',
        'g2',
      ),
    ).toEqual({
      id: 'g2',
      role: 'r',
      resourceType: 'a-b',
      action: 'use',
      effect: 'deny',
      source: 'database',
    });
    // `allow` is the default and is not kept.
    expect(parseGrant({ role: 'r', permission: 'a.b', effect: 'allow' }, 'grant', 'database', 'g3')).toEqual({
      id: 'g3',
      role: 'r',
      permission: 'a.b',
      source: 'database',
    });
    expect(() =>
      parseGrant({ role: 'r', permission: 'a.b', effect: 'maybe' }, 'grant', 'database', 'g'),
    ).toThrow('grant.effect must be one of allow, deny');
    expect(() =>
      parseConditionalGrant(
        { role: 'r', resourceType: 'T', conditions: { rule: 'x' } },
        'condition',
        'database',
        'c',
      ),
    ).toThrow('condition.resourceType is not a valid value');
  });
});
