import { InputError } from '@portal/platform';
import { parseFilterParams, parseFilterSet, stringsParam } from './filter-params.js';

describe('parseFilterParams', () => {
  it('is undefined without filters or with only empty sets', () => {
    expect(parseFilterParams(undefined)).toBeUndefined();
    expect(parseFilterParams(['', ' , '])).toBeUndefined();
  });

  it('turns one condition into an equality', () => {
    expect(parseFilterParams('kind=component')).toEqual({ kind: 'component' });
  });

  it('ANDs the conditions of one set and ORs the values of a key repeated in it (client encoding)', () => {
    // {kind:'component','spec.type':['service','website']} as catalog-client sends it.
    expect(parseFilterParams('kind=component,spec.type=service,spec.type=website')).toEqual({
      $all: [{ kind: 'component' }, { 'spec.type': { $in: ['service', 'website'] } }],
    });
  });

  it('ORs repeated filter parameters', () => {
    expect(parseFilterParams(['kind=api', 'kind=component,spec.type=service'])).toEqual({
      $any: [{ kind: 'api' }, { $all: [{ kind: 'component' }, { 'spec.type': 'service' }] }],
    });
  });

  it('reads a bare key as an existence test, and lets a value win over it', () => {
    expect(parseFilterParams('metadata.annotations.backstage.io/techdocs-ref')).toEqual({
      'metadata.annotations.backstage.io/techdocs-ref': { $exists: true },
    });
    expect(parseFilterSet('kind,kind=api')).toEqual({ kind: 'api' });
    expect(parseFilterSet('kind=api,kind')).toEqual({ kind: 'api' });
  });

  it('splits on the first = only and trims both sides', () => {
    expect(parseFilterParams(' metadata.annotations.a/b = x=y ')).toEqual({
      'metadata.annotations.a/b': 'x=y',
    });
    expect(parseFilterParams('spec.owner=')).toEqual({ 'spec.owner': '' });
  });

  it('refuses an empty key, naming the statement', () => {
    expect(() => parseFilterParams('kind=a,=b')).toThrow(InputError);
    expect(() => parseFilterParams('kind=a,=b')).toThrow("'=b' is not a valid statement");
    expect(() => parseFilterParams(' = x')).toThrow("'= x' is not a valid statement");
  });

  it('refuses parameters that are not strings', () => {
    expect(() => parseFilterParams([{ kind: 'a' }])).toThrow('Invalid filter, not a string');
    expect(() => stringsParam(5, 'facet')).toThrow('Invalid facet, not a string');
  });

  it('keeps a key spelled __proto__ as a path', () => {
    const parsed = parseFilterParams('__proto__=x') as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
  });

  it('applies the predicate bounds to what the parameters produce', () => {
    expect(() => parseFilterParams(`kind=${'x'.repeat(2000)}`)).toThrow(/longer than 1024/);
  });
});
