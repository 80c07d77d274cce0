import { join } from 'node:path';
import { TempDir } from '../testing/fixtures.js';
import { expandPatterns } from './expand-patterns.js';

describe('expandPatterns', () => {
  const dir = new TempDir();
  const shown = (patterns: string[]) => expandPatterns(patterns, dir.path).files.map((file) => file.display);

  beforeAll(() => {
    for (const file of [
      'catalog-info.yaml',
      'services/b/catalog-info.yaml',
      'services/a/catalog-info.yaml',
      'services/a/extra.yml',
      'services/a/README.md',
      'services/node_modules/dep/catalog-info.yaml',
      'api(v2).yaml',
    ]) {
      dir.write(file, 'kind: Component\n');
    }
  });
  afterAll(() => dir.remove());

  it('matches glob patterns relative to the working directory, sorted', () => {
    expect(shown(['services/*/catalog-info.yaml'])).toEqual([
      'services/a/catalog-info.yaml',
      'services/b/catalog-info.yaml',
    ]);
  });

  it('takes every *.yaml and *.yml below a directory', () => {
    expect(shown(['services'])).toEqual([
      'services/a/catalog-info.yaml',
      'services/a/extra.yml',
      'services/b/catalog-info.yaml',
    ]);
  });

  it('does not descend into node_modules through a pattern, but reads a file named literally', () => {
    expect(shown(['**/catalog-info.yaml'])).not.toContain('services/node_modules/dep/catalog-info.yaml');
    expect(shown(['services/node_modules/dep/catalog-info.yaml'])).toEqual([
      'services/node_modules/dep/catalog-info.yaml',
    ]);
  });

  it('takes an existing path literally even when it holds glob characters', () => {
    expect(shown(['api(v2).yaml'])).toEqual(['api(v2).yaml']);
  });

  it('lists each file once, at its first match', () => {
    expect(shown(['services/b/catalog-info.yaml', 'services/**/*.yaml'])).toEqual([
      'services/b/catalog-info.yaml',
      'services/a/catalog-info.yaml',
    ]);
  });

  it('shows the files of an absolute pattern as absolute paths', () => {
    const result = expandPatterns([join(dir.path, 'services/a/*.yml')], '/');
    expect(result.files).toEqual([
      { display: join(dir.path, 'services/a/extra.yml'), absolute: join(dir.path, 'services/a/extra.yml') },
    ]);
  });

  it('returns the patterns that matched nothing', () => {
    const result = expandPatterns(['catalog-info.yaml', 'missing.yaml', 'docs/**/*.yaml'], dir.path);
    expect(result.files.map((file) => file.display)).toEqual(['catalog-info.yaml']);
    expect(result.unmatched).toEqual(['missing.yaml', 'docs/**/*.yaml']);
  });
});
