import * as backstage from '@backstage/catalog-model';
import * as ours from './relation-types.js';

describe('relation types', () => {
  it('are exactly Backstage’s fourteen', () => {
    const theirs = Object.fromEntries(
      Object.entries(backstage).filter(([name]) => name.startsWith('RELATION_')),
    );
    expect({ ...ours }).toEqual(theirs);
    expect(Object.keys(ours)).toHaveLength(14);
  });
});
