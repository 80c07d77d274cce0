import { InputError } from '../errors/errors.js';
import { createPermissionRule, parsePermissionCriteria, PermissionRuleset } from './rules.js';
import { AuthorizeResult, createPermission, isResourcePermission } from './types.js';

interface Doc {
  color: string;
  size: number;
}

// A toy query language: strings of SQL-ish text, to see how the tree is combined.
const isColor = createPermissionRule<Doc, string, 'doc', { colors: string[] }>({
  name: 'IS_COLOR',
  description: 'docs of these colors',
  resourceType: 'doc',
  paramsSchema: {
    type: 'object',
    properties: { colors: { type: 'array', items: { type: 'string' } } },
    required: ['colors'],
    additionalProperties: false,
  },
  apply: (doc, { colors }) => colors.includes(doc.color),
  toQuery: ({ colors }) => `color IN (${colors.join(',')})`,
});
const isBig = createPermissionRule<Doc, string, 'doc', Record<string, never>>({
  name: 'IS_BIG',
  description: 'big docs',
  resourceType: 'doc',
  paramsSchema: { type: 'object', additionalProperties: false },
  apply: (doc) => doc.size > 10,
  toQuery: () => 'size > 10',
});

const ruleset = new PermissionRuleset<Doc, string>('doc', [isColor, isBig], {
  allOf: (qs) => `(${qs.join(' AND ')})`,
  anyOf: (qs) => `(${qs.join(' OR ')})`,
  not: (q) => `NOT ${q}`,
});

const red = (params: unknown = { colors: ['red'] }) =>
  ({ rule: 'IS_COLOR', resourceType: 'doc', params }) as never;
const big = { rule: 'is_big', resourceType: 'doc' } as never;

describe('permission types', () => {
  it('createPermission makes basic and resource permissions like Backstage', () => {
    const basic = createPermission({ name: 'x.create', attributes: { action: 'create' } });
    const resource = createPermission({
      name: 'x.read',
      attributes: { action: 'read' },
      resourceType: 'doc',
    });
    expect(basic).toEqual({ type: 'basic', name: 'x.create', attributes: { action: 'create' } });
    expect(resource).toEqual({
      type: 'resource',
      name: 'x.read',
      attributes: { action: 'read' },
      resourceType: 'doc',
    });
    expect(isResourcePermission(resource, 'doc')).toBe(true);
    expect(isResourcePermission(resource, 'other')).toBe(false);
    expect(isResourcePermission(basic)).toBe(false);
    expect(AuthorizeResult.CONDITIONAL).toBe('CONDITIONAL');
  });
});

describe('PermissionRuleset', () => {
  it('turns allOf/anyOf/not into the query language', () => {
    expect(ruleset.toQuery({ allOf: [red(), { not: big }] })).toBe('(color IN (red) AND NOT size > 10)');
    expect(ruleset.toQuery({ anyOf: [red({ colors: ['a', 'b'] }), big] })).toBe(
      '(color IN (a,b) OR size > 10)',
    );
  });

  it('applies the same tree in memory', () => {
    const tree = { anyOf: [red(), { allOf: [big, { not: red({ colors: ['blue'] }) }] }] };
    expect(ruleset.apply(tree, { color: 'red', size: 1 })).toBe(true);
    expect(ruleset.apply(tree, { color: 'green', size: 11 })).toBe(true);
    expect(ruleset.apply(tree, { color: 'blue', size: 11 })).toBe(false);
    expect(ruleset.apply(tree, { color: 'green', size: 1 })).toBe(false);
  });

  it('refuses unknown rules, other resource types and bad params', () => {
    expect(() => ruleset.toQuery({ rule: 'NOPE', resourceType: 'doc' })).toThrow(InputError);
    expect(() => ruleset.apply({ rule: 'IS_BIG', resourceType: 'other' }, { color: 'x', size: 1 })).toThrow(
      /Unexpected resource type/,
    );
    expect(() => ruleset.check(red({ colors: 'red' }))).toThrow(/Invalid params for rule IS_COLOR/);
    expect(() => ruleset.check(red({}))).toThrow(/colors/);
  });

  it('publishes its rules as metadata', () => {
    expect(ruleset.metadata().map((r) => r.name)).toEqual(['IS_COLOR', 'IS_BIG']);
    expect(ruleset.metadata()[0]).toMatchObject({
      resourceType: 'doc',
      paramsSchema: { required: ['colors'] },
    });
  });

  it('refuses rules of another type and duplicates', () => {
    const ops = { allOf: () => '', anyOf: () => '', not: () => '' };
    expect(() => new PermissionRuleset('other', [isBig], ops)).toThrow(/is for 'doc'/);
    expect(() => new PermissionRuleset('doc', [isBig, isBig], ops)).toThrow(/Duplicate/);
  });
});

describe('parsePermissionCriteria', () => {
  it('accepts Backstage condition trees and copies them', () => {
    const input = {
      allOf: [
        { rule: 'R', resourceType: 't', params: { a: [1] } },
        { not: { anyOf: [{ rule: 'S', resourceType: 't' }] } },
      ],
    };
    const parsed = parsePermissionCriteria(input);
    expect(parsed).toEqual(input);
    expect((parsed as { allOf: Array<{ params: unknown }> }).allOf[0]!.params).not.toBe(
      input.allOf[0]!.params,
    );
  });

  it.each([
    [null, /expected an object/],
    [{ allOf: [] }, /non-empty array/],
    [{ anyOf: {} }, /non-empty array/],
    [{ allOf: [{ rule: 'R', resourceType: 't' }], x: 1 }, /only key/],
    [{ not: { rule: 'R', resourceType: 't' }, rule: 'R' }, /only key/],
    [{ resourceType: 't' }, /missing rule/],
    [{ rule: 'R' }, /missing resourceType/],
    [{ rule: 'R', resourceType: 't', params: [1] }, /params: expected an object/],
  ])('refuses %j', (input, message) => {
    expect(() => parsePermissionCriteria(input)).toThrow(message);
  });

  it('bounds depth', () => {
    let deep: unknown = { rule: 'R', resourceType: 't' };
    for (let i = 0; i < 20; i++) deep = { not: deep };
    expect(() => parsePermissionCriteria(deep)).toThrow(/nested too deeply/);
  });
});
