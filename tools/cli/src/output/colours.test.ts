import { palette, useColour } from './colours.js';

describe('useColour', () => {
  it.each([
    [{}, true, true],
    [{}, false, false],
    [{ TERM: 'dumb' }, true, false],
    [{ NO_COLOR: '1' }, true, false],
    [{ NO_COLOR: '' }, true, true],
    [{ FORCE_COLOR: '1' }, false, true],
    [{ FORCE_COLOR: '' }, false, true],
    [{ FORCE_COLOR: '0' }, true, false],
    [{ FORCE_COLOR: 'false' }, true, false],
    [{ FORCE_COLOR: '1', NO_COLOR: '1' }, true, false],
  ])('with %j and a terminal %s: %s', (env, isTTY, expected) => {
    expect(useColour(env, isTTY)).toBe(expected);
  });
});

describe('palette', () => {
  it('wraps text in ANSI codes only when colour is on', () => {
    expect(palette(true).failure('x')).toBe('\u001b[31mx\u001b[39m');
    expect(palette(false).failure('x')).toBe('x');
  });
});
