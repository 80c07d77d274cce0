import {
  needsUser,
  parseConditionTree,
  toCriteria,
  validateAgainstRules,
  type RuleMetadata,
} from './conditions.js';
import type { Subject } from './types.js';

const subject: Subject = {
  userEntityRef: 'user:default/jane',
  ownershipEntityRefs: ['user:default/jane', 'group:default/a'],
  otherSubjects: [],
};
const rules: RuleMetadata[] = [
  {
    name: 'IS_ENTITY_OWNER',
    resourceType: 'catalog-entity',
    paramsSchema: {
      type: 'object',
      properties: { claims: { type: 'array', items: { type: 'string' } } },
      required: ['claims'],
      additionalProperties: false,
    },
  },
  {
    name: 'IS_ENTITY_KIND',
    resourceType: 'catalog-entity',
    paramsSchema: {
      type: 'object',
      properties: { kinds: { type: 'array', items: { type: 'string' } } },
      required: ['kinds'],
    },
  },
  { name: 'NO_SCHEMA', resourceType: 'catalog-entity' },
];

describe('condition trees', () => {
  it('parses allOf / anyOf / not of leaves', () => {
    const tree = {
      allOf: [{ rule: 'A' }, { anyOf: [{ rule: 'B', params: { x: 1 } }, { not: { rule: 'C' } }] }],
    };
    expect(parseConditionTree(tree)).toEqual(tree);
  });

  it.each([
    [null, 'conditions must be an object'],
    [[], 'conditions must be an object'],
    [{ allOf: [] }, 'conditions.allOf must be a non-empty array'],
    [{ anyOf: 'x' }, 'conditions.anyOf must be a non-empty array'],
    [{ allOf: [{ rule: 'A' }], anyOf: [{ rule: 'B' }] }, "conditions must have only 'allOf'"],
    [{ not: { rule: 'A' }, rule: 'B' }, "conditions must have only 'not'"],
    [{ rule: '' }, 'conditions.rule must be a non-empty string'],
    [{ rule: 'A', params: [] }, 'conditions.params must be an object'],
    [{ rule: 'A', extra: 1 }, 'conditions.extra is not a known key'],
    [{ anyOf: [{ rule: 'A' }, { not: { rules: 'B' } }] }, 'conditions.anyOf[1].not.rules is not a known key'],
  ])('refuses %j', (tree, message) => {
    expect(() => parseConditionTree(tree)).toThrow(message);
  });

  it('refuses trees nested too deeply', () => {
    let tree: unknown = { rule: 'A' };
    for (let i = 0; i < 40; i++) tree = { not: tree };
    expect(() => parseConditionTree(tree)).toThrow('nested too deeply');
  });

  it('becomes Backstage criteria with the resource type on every leaf and placeholders expanded', () => {
    const tree = parseConditionTree({
      anyOf: [{ rule: 'IS_ENTITY_OWNER', params: { claims: '$ownershipRefs' } }, { not: { rule: 'X' } }],
    });
    expect(toCriteria(tree, 'catalog-entity', subject)).toEqual({
      anyOf: [
        {
          rule: 'IS_ENTITY_OWNER',
          resourceType: 'catalog-entity',
          params: { claims: ['user:default/jane', 'group:default/a'] },
        },
        { not: { rule: 'X', resourceType: 'catalog-entity' } },
      ],
    });
    expect(needsUser(tree)).toBe(true);
    expect(needsUser({ rule: 'X', params: { a: ['b', { c: '$currentUser' }] } })).toBe(true);
    expect(needsUser({ rule: 'X', params: { a: 'currentUser' } })).toBe(false);
  });

  it('is checked against the registry: unknown rules and bad params are refused, names case-insensitive', () => {
    expect(() =>
      validateAgainstRules(
        { rule: 'is_entity_owner', params: { claims: '$ownershipRefs' } },
        'catalog-entity',
        rules,
      ),
    ).not.toThrow();
    expect(() =>
      validateAgainstRules({ rule: 'NO_SCHEMA', params: { anything: 1 } }, 'catalog-entity', rules),
    ).not.toThrow();
    expect(() => validateAgainstRules({ rule: 'HAS_NOTHING' }, 'catalog-entity', rules)).toThrow(
      "rule 'HAS_NOTHING' is not a rule of resource type 'catalog-entity'",
    );
    expect(() =>
      validateAgainstRules(
        { allOf: [{ rule: 'IS_ENTITY_KIND', params: { kinds: 'Component' } }] },
        'catalog-entity',
        rules,
      ),
    ).toThrow("params of rule 'IS_ENTITY_KIND' are invalid: /kinds must be array");
    expect(() =>
      validateAgainstRules({ rule: 'IS_ENTITY_OWNER', params: {} }, 'catalog-entity', rules),
    ).toThrow('claims');
    // Nothing known about the resource type yet: nothing to check against.
    expect(() => validateAgainstRules({ rule: 'ANY' }, 'other-type', undefined)).not.toThrow();
  });
});
