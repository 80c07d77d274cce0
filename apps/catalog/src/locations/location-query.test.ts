import type { RegisteredLocation } from '../ingestion/database-location-provider.js';
import {
  encodeLocationCursor,
  matchesLocation,
  pageLocations,
  parseLocationPredicate,
  parseLocationQueryRequest,
} from './location-query.js';

const loc = (id: string, target: string, type = 'url'): RegisteredLocation => ({
  id,
  type,
  target,
  entityRef: `location:default/generated-${id}`,
});

describe('location queries', () => {
  const a = loc('00000000-0000-4000-8000-00000000000a', 'https://git.example.com/a.yaml');
  const b = loc('00000000-0000-4000-8000-00000000000b', 'https://git.example.com/b.yaml');
  const c = loc('00000000-0000-4000-8000-00000000000c', '/srv/c.yaml', 'file');

  it('matches values case-insensitively, with $in, $hasPrefix, $exists, $contains and combinators', () => {
    const match = (query: unknown) =>
      [a, b, c].filter((l) => matchesLocation(l, parseLocationPredicate(query))).map((l) => l.id.slice(-1));
    expect(match({ type: 'URL' })).toEqual(['a', 'b']);
    expect(match({ entityRef: a.entityRef.toUpperCase() })).toEqual(['a']);
    expect(match({ target: { $in: ['HTTPS://GIT.EXAMPLE.COM/B.YAML', '/srv/c.yaml'] } })).toEqual(['b', 'c']);
    expect(match({ target: { $hasPrefix: 'https://GIT' } })).toEqual(['a', 'b']);
    expect(match({ id: { $exists: true } })).toEqual(['a', 'b', 'c']);
    expect(match({ id: { $exists: false } })).toEqual([]);
    expect(match({ target: { $contains: 'a' } })).toEqual([]);
    expect(match({ $not: { type: 'url' } })).toEqual(['c']);
    expect(match({ $any: [{ type: 'file' }, { target: b.target }] })).toEqual(['b', 'c']);
    expect(match({ $all: [{ type: 'url' }, { $not: { id: a.id } }] })).toEqual(['b']);
    expect(match({ $all: [] })).toEqual([]);
    expect(match({ $any: [] })).toEqual([]);
  });

  it('names what is wrong with a predicate', () => {
    expect(() => parseLocationPredicate({ owner: 'x' })).toThrow(
      /expected key to be 'id', 'type', 'target', or 'entityRef', got 'owner'/,
    );
    expect(() => parseLocationPredicate({ $nope: [] })).toThrow(/unknown operator '\$nope'/);
    expect(() => parseLocationPredicate({ type: { $regex: 'x' } })).toThrow(
      /query\.type: unknown matcher '\$regex'/,
    );
    expect(() => parseLocationPredicate({ type: { $in: 'x' } })).toThrow(/query\.type\.\$in/);
    expect(() => parseLocationPredicate({ $all: [{ type: null }] })).toThrow(/query\.\$all\[0\]\.type/);
    expect(() => parseLocationPredicate([])).toThrow(/JSON object/);
    expect(() => parseLocationPredicate({ id: { $in: Array(1001).fill('x') } })).toThrow(
      /more than 1000 values/,
    );
    expect(() => parseLocationPredicate({ $any: Array(1001).fill({ type: 'url' }) })).toThrow(
      /more than 1000 items/,
    );
    let deep: unknown = { type: 'url' };
    for (let i = 0; i < 40; i++) deep = { $not: deep };
    expect(() => parseLocationPredicate(deep)).toThrow(/deeper than/);
  });

  it('reads requests and cursors, with Backstage defaults and limits', () => {
    expect(parseLocationQueryRequest(undefined)).toEqual({ limit: 1000 });
    expect(parseLocationQueryRequest({ limit: 5, query: { type: 'url' } })).toEqual({
      limit: 5,
      query: { type: 'url' },
    });
    expect(() => parseLocationQueryRequest({ limit: 0 })).toThrow(/limit must be a positive integer/);
    expect(() => parseLocationQueryRequest({ limit: 1.5 })).toThrow(/limit/);
    expect(() => parseLocationQueryRequest({ offset: 1 })).toThrow(/unknown key 'offset'/);
    expect(() => parseLocationQueryRequest({ cursor: '' })).toThrow(/Cursor cannot be empty/);
    expect(() => parseLocationQueryRequest({ cursor: 'bm90IGpzb24=' })).toThrow(/Malformed cursor/);
    expect(() => parseLocationQueryRequest({ cursor: encodeLocationCursor({ limit: -1 }) })).toThrow(
      /Malformed cursor/,
    );
    const cursor = encodeLocationCursor({ limit: 2, afterId: a.id, query: { type: 'url' } });
    expect(parseLocationQueryRequest({ cursor })).toEqual({
      limit: 2,
      afterId: a.id,
      query: { type: 'url' },
    });
  });

  it('pages by id with the total of all matches and a cursor while more remain', () => {
    const first = pageLocations([c, b, a], { limit: 2 });
    expect(first.items).toEqual([a, b]);
    expect(first.totalItems).toBe(3);
    const next = pageLocations([c, b, a], parseLocationQueryRequest({ cursor: first.pageInfo.nextCursor }));
    expect(next).toEqual({ items: [c], totalItems: 3, pageInfo: {} });
    expect(pageLocations([a, b, c], { limit: 5, query: { type: 'file' } })).toEqual({
      items: [c],
      totalItems: 1,
      pageInfo: {},
    });
  });
});
