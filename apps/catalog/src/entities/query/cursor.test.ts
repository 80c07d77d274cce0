import { InputError } from '@portal/platform';
import { decodeCursor, encodeCursor, type QueryCursor } from './cursor.js';

const ID = '3f2b8c1e-0d4a-4e5b-9c6d-7e8f9a0b1c2d';

const cursor: QueryCursor = {
  orderFields: [{ field: 'metadata.name', order: 'asc' }],
  orderFieldValues: ['petstore', ID],
  query: { $all: [{ kind: 'component' }, { 'metadata.title': 'Café' }] },
  fullTextFilter: { term: 'pet', fields: ['metadata.name'] },
  isPrevious: false,
  firstSortFieldValues: [null, ID],
  totalItems: 42,
};

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');

describe('cursor', () => {
  it('round-trips', () => {
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it('is base64 of ASCII JSON with the filter under a top-level query key (what the client looks for)', () => {
    const text = encodeCursor(cursor);
    const json = atob(text); // as @backstage/catalog-client decodes it
    expect(json).toMatch(/^[\x20-\x7e]*$/);
    const decoded = JSON.parse(json);
    expect('query' in decoded).toBe(true);
    expect(decoded.query.$all[1]['metadata.title']).toBe('Café');
  });

  it('has no query key when there is no filter', () => {
    const { query: _query, ...rest } = cursor;
    expect('query' in JSON.parse(atob(encodeCursor(rest)))).toBe(false);
  });

  it('accepts URL-safe base64 too', () => {
    const text = encodeCursor(cursor).replace(/\+/g, '-').replace(/\//g, '_');
    expect(decodeCursor(text).orderFieldValues).toEqual(['petstore', ID]);
  });

  it('accepts a position without sort field', () => {
    expect(
      decodeCursor(encode({ orderFields: [], orderFieldValues: [ID], isPrevious: true })).orderFieldValues,
    ).toEqual([ID]);
  });

  const valid = { orderFields: [], orderFieldValues: [ID], isPrevious: false };
  it.each([
    ['', 'expected a non-empty string'],
    ['not base64!', 'not base64'],
    [Buffer.from('{"broken').toString('base64'), 'not base64-encoded JSON'],
    [encode([1]), 'expected a JSON object'],
    [encode({ ...valid, extra: 1 }), "unknown key 'extra'"],
    [encode({ ...valid, orderFields: 'x' }), 'orderFields must be an array'],
    [encode({ ...valid, orderFields: [{ field: 'a', order: 'sideways' }] }), 'orderFields[0].order'],
    [encode({ ...valid, isPrevious: 'no' }), 'isPrevious must be a boolean'],
    [
      encode({ ...valid, orderFieldValues: ["'; DROP TABLE final_entities; --"] }),
      'must end with an entity id',
    ],
    [encode({ ...valid, orderFieldValues: ['a', ID] }), 'must have 1 value(s)'],
    [
      encode({ ...valid, orderFields: [{ field: 'a', order: 'asc' }], orderFieldValues: [5, ID] }),
      'string or null',
    ],
    [encode({ ...valid, totalItems: -1 }), 'totalItems must be a non-negative integer'],
    [encode({ ...valid, totalItems: 1.5 }), 'totalItems must be a non-negative integer'],
    [encode({ ...valid, query: { kind: { $regex: 'x' } } }), "unknown matcher '$regex'"],
    [encode({ ...valid, query: { kind: null } }), 'at cursor.query.kind'],
    [encode({ ...valid, fullTextFilter: { term: 5 } }), 'cursor.fullTextFilter.term'],
    [encode({ ...valid, firstSortFieldValues: [] }), 'firstSortFieldValues must have 1 value(s)'],
  ])('refuses a tampered or invalid cursor: %s', (text, problem) => {
    let error: unknown;
    try {
      decodeCursor(text);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/^Malformed cursor: /);
    expect((error as Error).message).toContain(problem);
  });

  it('refuses non-strings and oversized cursors', () => {
    expect(() => decodeCursor(5)).toThrow(InputError);
    expect(() => decodeCursor('A'.repeat(300 * 1024))).toThrow('Malformed cursor: too long');
  });
});
