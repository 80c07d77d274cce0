import {
  eventFilterSql,
  matchesEventFilter,
  parseEventFilter,
  parseEventFilterJson,
} from './event-filter.js';

describe('event filters', () => {
  it('accepts strings, lists and $in on kind, namespace and name, lowercased', () => {
    expect(
      parseEventFilter({ kind: 'Component', 'metadata.namespace': { $in: ['Default', 'ops'] }, name: ['A'] }),
    ).toEqual({ kind: ['component'], namespace: ['default', 'ops'], name: ['a'] });
    expect(parseEventFilter({})).toBeUndefined();
    expect(parseEventFilterJson('')).toBeUndefined();
  });

  it.each([
    ['"component"', 'must be a JSON object'],
    ['{"spec.type": "service"}', "'spec.type' is not supported"],
    ['{"kind": {"$eq": "x"}}', "'kind' must be"],
    ['{"kind": []}', "'kind' must be"],
    ['{"kind": [1]}', "'kind' must be"],
    ['{"kind": ', 'not JSON'],
  ])('refuses %s', (json, message) => {
    expect(() => parseEventFilterJson(json)).toThrow(
      expect.objectContaining({ name: 'InputError', message: expect.stringContaining(message) }),
    );
  });

  it('matches refs in any case, and builds the same condition for SQL', () => {
    const filter = parseEventFilter({ kind: ['component', 'api'], namespace: 'default' });
    expect(matchesEventFilter(filter, 'component:default/a')).toBe(true);
    expect(matchesEventFilter(filter, 'API:Default/b')).toBe(true);
    expect(matchesEventFilter(filter, 'group:default/a')).toBe(false);
    expect(matchesEventFilter(filter, 'component:ops/a')).toBe(false);
    expect(matchesEventFilter(undefined, 'group:default/a')).toBe(true);
    const params: unknown[] = ['first'];
    expect(eventFilterSql(filter, params)).toContain('$2::text[]');
    expect(params).toEqual(['first', ['component', 'api'], ['default']]);
  });
});
