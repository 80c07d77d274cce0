import { InputError } from '@portal/platform';
import { parseOrderBy, parseOrderFieldParams, parseOrderParams, sortValueSql } from './order.js';

describe('parseOrderFieldParams (by-query orderField)', () => {
  it('reads field,order and defaults to asc', () => {
    expect(parseOrderFieldParams('metadata.name,desc')).toEqual([{ field: 'metadata.name', order: 'desc' }]);
    expect(parseOrderFieldParams('metadata.title')).toEqual([{ field: 'metadata.title', order: 'asc' }]);
    expect(parseOrderFieldParams(['kind,asc', 'metadata.name,desc'])).toEqual([
      { field: 'kind', order: 'asc' },
      { field: 'metadata.name', order: 'desc' },
    ]);
    expect(parseOrderFieldParams(undefined)).toBeUndefined();
  });

  it('refuses other directions and empty fields', () => {
    expect(() => parseOrderFieldParams('metadata.name,up')).toThrow(InputError);
    expect(() => parseOrderFieldParams('metadata.name,up')).toThrow(
      'Invalid orderField order, must be asc or desc',
    );
    expect(() => parseOrderFieldParams(',asc')).toThrow('Invalid orderField, the field is empty');
  });
});

describe('parseOrderBy (POST orderBy)', () => {
  it('reads [{field, order}]', () => {
    expect(parseOrderBy([{ field: 'metadata.name', order: 'desc' }])).toEqual([
      { field: 'metadata.name', order: 'desc' },
    ]);
    expect(parseOrderBy({ field: 'kind', order: 'asc' })).toEqual([{ field: 'kind', order: 'asc' }]);
    expect(parseOrderBy([])).toBeUndefined();
  });

  it('requires a direction and a field', () => {
    expect(() => parseOrderBy([{ field: 'kind' }])).toThrow('Invalid orderBy[0] order, must be asc or desc');
    expect(() => parseOrderBy([{ order: 'asc' }])).toThrow('Invalid orderBy[0], expected { field, order }');
  });
});

describe('parseOrderParams (GET /entities order)', () => {
  it('reads <asc|desc>:<field>, all of them', () => {
    expect(parseOrderParams(['asc:metadata.name', 'desc:spec.type'])).toEqual([
      { order: 'asc', field: 'metadata.name' },
      { order: 'desc', field: 'spec.type' },
    ]);
  });

  it('refuses anything else, naming it', () => {
    expect(() => parseOrderParams('metadata.name')).toThrow(
      'Invalid order parameter "metadata.name", expected "<asc or desc>:<field name>"',
    );
  });
});

describe('sortValueSql', () => {
  it('writes the indexed paths as literals matching the index expression', () => {
    const params: unknown[] = [];
    expect(sortValueSql('Metadata.Name', params, 'fe.search')).toBe(
      `((fe.search -> 'metadata.name'::text) ->> 0)`,
    );
    expect(params).toEqual([]);
  });

  it('passes any other path as a parameter', () => {
    const params: unknown[] = ['x'];
    expect(sortValueSql("spec.it's", params)).toBe('((search -> $2::text) ->> 0)');
    expect(params).toEqual(['x', "spec.it's"]);
  });
});
