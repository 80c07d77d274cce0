import { isObject, joinPath, limitProblems, pointerToPath } from './problem.js';

describe('problem paths', () => {
  it('joins keys and indexes with dots', () => {
    expect(joinPath('', 'metadata')).toBe('metadata');
    expect(joinPath('metadata.tags', 2)).toBe('metadata.tags.2');
    expect(joinPath('metadata.annotations', 'backstage.io/techdocs-ref')).toBe(
      'metadata.annotations.backstage.io/techdocs-ref',
    );
  });

  it('turns JSON pointers into dotted paths, unescaping ~1 and ~0', () => {
    expect(pointerToPath('')).toBe('');
    expect(pointerToPath('', 'spec')).toBe('spec');
    expect(pointerToPath('/owner', 'spec')).toBe('spec.owner');
    expect(pointerToPath('/annotations/example.com~1key/~0x')).toBe('annotations.example.com/key.~x');
    expect(pointerToPath('/steps/0/action', 'spec')).toBe('spec.steps.0.action');
  });
});

describe('limitProblems', () => {
  const problems = Array.from({ length: 5 }, (_, i) => ({ path: `p${i}`, message: 'bad' }));

  it('keeps short lists as they are', () => {
    expect(limitProblems(problems, 5)).toBe(problems);
  });

  it('cuts long lists and says how much was cut', () => {
    expect(limitProblems(problems, 2)).toEqual([
      { path: 'p0', message: 'bad' },
      { path: 'p1', message: 'bad' },
      { path: '', message: '3 more problems not shown' },
    ]);
  });
});

describe('isObject', () => {
  it('is true for objects only, not arrays or null', () => {
    expect(isObject({})).toBe(true);
    expect(isObject(Object.create(null))).toBe(true);
    expect(isObject([])).toBe(false);
    expect(isObject(null)).toBe(false);
    expect(isObject('x')).toBe(false);
  });
});
