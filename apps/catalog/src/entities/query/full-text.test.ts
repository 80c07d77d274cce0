import { InputError } from '@portal/platform';
import { fullTextFields, fullTextToSql, normalizeFullText, parseFullTextParams } from './full-text.js';

describe('parseFullTextParams', () => {
  it('trims the term and splits comma-joined fields', () => {
    expect(parseFullTextParams('  pet  ', 'metadata.name, metadata.title')).toEqual({
      term: 'pet',
      fields: ['metadata.name', 'metadata.title'],
    });
    expect(parseFullTextParams('pet', ['metadata.name', 'spec.type'])).toEqual({
      term: 'pet',
      fields: ['metadata.name', 'spec.type'],
    });
  });

  it('is undefined for an empty term', () => {
    expect(parseFullTextParams('   ', 'metadata.name')).toBeUndefined();
    expect(parseFullTextParams(undefined, undefined)).toBeUndefined();
  });
});

describe('normalizeFullText', () => {
  it('validates a body', () => {
    expect(normalizeFullText({ term: ' x ' })).toEqual({ term: 'x' });
    expect(() => normalizeFullText({ term: 1 })).toThrow(InputError);
    expect(() => normalizeFullText({ term: 'x', fields: 'a' })).toThrow('Invalid fullTextFilter.fields');
    expect(() => normalizeFullText({ term: 'x', other: 1 })).toThrow("unknown key 'other'");
    expect(() => normalizeFullText('x')).toThrow('expected an object');
  });
});

describe('fullTextFields', () => {
  it('uses the given fields, else the sort field, else metadata.uid, lowercased', () => {
    expect(fullTextFields({ term: 'x', fields: ['Metadata.Name', 'metadata.name'] })).toEqual([
      'metadata.name',
    ]);
    expect(fullTextFields({ term: 'x' }, 'Metadata.Title')).toEqual(['metadata.title']);
    expect(fullTextFields({ term: 'x' })).toEqual(['metadata.uid']);
  });
});

describe('fullTextToSql', () => {
  it('matches a lowercased, escaped substring of any value of the fields, through parameters', () => {
    const params: unknown[] = ['before'];
    const { sql } = fullTextToSql(
      { term: '100%_Sure\\' },
      { sortField: 'metadata.name', column: 'fe.search', params },
    );
    expect(sql).toBe(
      "EXISTS (SELECT 1 FROM unnest($2::text[]) AS f(key), jsonb_array_elements_text(fe.search -> f.key) AS v(value) WHERE v.value LIKE $3::text ESCAPE '\\')",
    );
    expect(params).toEqual(['before', ['metadata.name'], '%100\\%\\_sure\\\\%']);
  });
});
