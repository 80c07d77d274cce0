import {
  parseLocationRef,
  resolveLocationTarget,
  stringifyLocationRef,
  urlLocationAnnotations,
} from './location-ref.js';

describe('location refs', () => {
  it('split at the first colon', () => {
    expect(parseLocationRef('url:https://host/a:b/catalog-info.yaml')).toEqual({
      type: 'url',
      target: 'https://host/a:b/catalog-info.yaml',
    });
    expect(stringifyLocationRef({ type: 'file', target: '/a/b.yaml' })).toBe('file:/a/b.yaml');
    expect(() => parseLocationRef('no-colon')).toThrow(/<type>:<target>/);
    expect(() => parseLocationRef(':x')).toThrow(/<type>:<target>/);
  });
});

describe('resolveLocationTarget', () => {
  const fileBase = { type: 'file', target: '/repo/examples/all.yaml' };
  const urlBase = { type: 'url', target: 'https://git.example.com/org/repo/blob/main/catalog-info.yaml' };

  it('resolves relative file targets against the directory of the Location file', () => {
    expect(resolveLocationTarget('file', './org/groups.yaml', fileBase)).toBe(
      '/repo/examples/org/groups.yaml',
    );
    expect(resolveLocationTarget('file', '../other.yaml', fileBase)).toBe('/repo/other.yaml');
    expect(resolveLocationTarget('file', '/abs/x/../y.yaml', fileBase)).toBe('/abs/y.yaml');
  });

  it('resolves relative urls against the Location url', () => {
    expect(resolveLocationTarget('url', './apis/api.yaml', urlBase)).toBe(
      'https://git.example.com/org/repo/blob/main/apis/api.yaml',
    );
    expect(resolveLocationTarget('url', 'https://other.example.com/x.yaml', fileBase)).toBe(
      'https://other.example.com/x.yaml',
    );
  });

  it('refuses relative targets when the base has another type or is unknown', () => {
    expect(() => resolveLocationTarget('file', './x.yaml', urlBase)).toThrow(
      /needs a Location read from a file/,
    );
    expect(() => resolveLocationTarget('url', './x.yaml', fileBase)).toThrow(
      /needs a Location read from a url/,
    );
    expect(() => resolveLocationTarget('url', './x.yaml', undefined)).toThrow(/needs a Location/);
  });
});

describe('urlLocationAnnotations', () => {
  it('derives source, view and edit urls', () => {
    expect(urlLocationAnnotations('https://github.com/org/repo/blob/main/svc/catalog-info.yaml')).toEqual({
      sourceLocation: 'url:https://github.com/org/repo/blob/main/svc/',
      viewUrl: 'https://github.com/org/repo/blob/main/svc/catalog-info.yaml',
      editUrl: 'https://github.com/org/repo/edit/main/svc/catalog-info.yaml',
    });
    expect(urlLocationAnnotations('https://gitlab.com/org/repo/-/blob/main/catalog-info.yaml').editUrl).toBe(
      'https://gitlab.com/org/repo/-/edit/main/catalog-info.yaml',
    );
  });

  it('leaves out the edit url of a commit-pinned url', () => {
    const pinned =
      'https://github.com/org/repo/blob/0123456789abcdef0123456789abcdef01234567/catalog-info.yaml';
    expect(urlLocationAnnotations(pinned).editUrl).toBeUndefined();
  });
});
