import {
  entityRefFromPath,
  parseAnalyzeRequest,
  parseDryRun,
  parseLocationInput,
  parseOnConflict,
  parseRefreshBody,
} from './location-input.js';

const inputError = (message: string | RegExp) => ({
  name: 'InputError',
  message: expect.stringMatching(message),
});

describe('location input', () => {
  it('accepts {type, target, presence?} and nothing else', () => {
    expect(parseLocationInput({ type: 'url', target: 'https://x/a.yaml' })).toEqual({
      type: 'url',
      target: 'https://x/a.yaml',
    });
    expect(parseLocationInput({ type: 'url', target: 'https://x/a.yaml', presence: 'optional' })).toEqual({
      type: 'url',
      target: 'https://x/a.yaml',
      presence: 'optional',
    });
    expect(() => parseLocationInput(null)).toThrow(expect.objectContaining(inputError(/JSON object/)));
    expect(() => parseLocationInput([])).toThrow(expect.objectContaining(inputError(/JSON object/)));
    expect(() => parseLocationInput({ type: 'url', target: 'x', dryRun: true })).toThrow(
      expect.objectContaining(inputError(/unknown key 'dryRun'/)),
    );
    expect(() => parseLocationInput({ type: 'url' })).toThrow(expect.objectContaining(inputError(/^target/)));
    expect(() => parseLocationInput({ type: '', target: 'x' })).toThrow(
      expect.objectContaining(inputError(/^type/)),
    );
    expect(() => parseLocationInput({ type: 'url', target: 'a\nb' })).toThrow(
      expect.objectContaining(inputError(/control characters/)),
    );
    expect(() => parseLocationInput({ type: 'url', target: 'x'.repeat(5000) })).toThrow(
      expect.objectContaining(inputError(/longer than/)),
    );
    expect(() => parseLocationInput({ type: 'url', target: 'x', presence: 'maybe' })).toThrow(
      expect.objectContaining(inputError(/^presence/)),
    );
  });

  it('reads dryRun and onConflict as Backstage does, refusing anything else', () => {
    expect(parseDryRun(undefined)).toBe(false);
    expect(parseDryRun('true')).toBe(true);
    expect(parseDryRun('YES')).toBe(true);
    expect(parseDryRun('0')).toBe(false);
    expect(() => parseDryRun('perhaps')).toThrow(expect.objectContaining(inputError(/dryRun/)));
    expect(() => parseDryRun(['true', 'false'])).toThrow(expect.objectContaining(inputError(/dryRun/)));
    expect(parseOnConflict(undefined)).toBe('reject');
    expect(parseOnConflict('refresh')).toBe('refresh');
    expect(() => parseOnConflict('ignore')).toThrow(expect.objectContaining(inputError(/onConflict/)));
  });

  it('reads refresh and analyze bodies', () => {
    expect(parseRefreshBody({ entityRef: 'component:default/a', authorizationToken: 't' })).toBe(
      'component:default/a',
    );
    expect(() => parseRefreshBody(undefined)).toThrow(expect.objectContaining(inputError(/JSON object/)));
    expect(() => parseRefreshBody({ entityRef: 1 })).toThrow(
      expect.objectContaining(inputError(/entityRef/)),
    );
    expect(() => parseRefreshBody({ entityRef: 'a', authorizationToken: 1 })).toThrow(
      expect.objectContaining(inputError(/authorizationToken/)),
    );
    expect(
      parseAnalyzeRequest({ location: { type: 'url', target: 'https://x/r' }, catalogFilename: 'c.yaml' }),
    ).toEqual({
      location: { type: 'url', target: 'https://x/r' },
      catalogFilename: 'c.yaml',
    });
    expect(() => parseAnalyzeRequest({ location: { type: 'url' } })).toThrow(
      expect.objectContaining(inputError(/^location\.target/)),
    );
    expect(() =>
      parseAnalyzeRequest({ location: { type: 'url', target: 'https://x' }, catalogFilename: '../x' }),
    ).toThrow(expect.objectContaining(inputError(/catalogFilename/)));
  });

  it('builds lowercase refs from path segments, refusing separators', () => {
    expect(entityRefFromPath('Component', 'default', 'My-Svc')).toBe('component:default/my-svc');
    expect(() => entityRefFromPath('component', 'default', 'a:b')).toThrow(
      expect.objectContaining(inputError(/name/)),
    );
  });
});
