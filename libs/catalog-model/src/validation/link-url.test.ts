import { forbiddenLinkScheme } from './link-url.js';

describe('forbiddenLinkScheme', () => {
  it.each([
    ['javascript:alert(1)', 'javascript:'],
    ['JAVASCRIPT:alert(1)', 'javascript:'],
    ['jAvAsCrIpT:void(0)', 'javascript:'],
    ['  javascript:alert(1)', 'javascript:'],
    ['\u0000\u0001javascript:alert(1)', 'javascript:'],
    ['\r\njavascript:alert(1)', 'javascript:'],
    ['java\tscript:alert(1)', 'javascript:'],
    ['j\na\rv\ta\u0000s\u001fcript:alert(1)', 'javascript:'],
    ['java\u00a0script:alert(1)', 'javascript:'],
    ['java\u200bscript:alert(1)', 'javascript:'],
    ['java\u00adscript:alert(1)', 'javascript:'],
    ['\ufeffjavascript:alert(1)', 'javascript:'],
    ['javascript\u2028:alert(1)', 'javascript:'],
    ['data:text/html,<script>alert(1)</script>', 'data:'],
    ['Data:image/svg+xml;base64,PHN2Zz4=', 'data:'],
    ['\u0020data:,x', 'data:'],
    ['vbscript:msgbox(1)', 'vbscript:'],
    ['VbScRiPt:msgbox(1)', 'vbscript:'],
    ['v\tb\ns\rcript:x', 'vbscript:'],
  ])('finds %j runs as %s', (url, scheme) => {
    expect(forbiddenLinkScheme(url)).toBe(scheme);
  });

  it.each([
    'https://example.com',
    'http://example.com/javascript:alert(1)',
    'https://example.com/?next=data:x',
    'mailto:team@example.com',
    'slack://channel?id=1',
    'file:///tmp/x',
    'javascriptx:alert(1)',
    'not a url',
    '',
  ])('lets %j through', (url) => {
    expect(forbiddenLinkScheme(url)).toBeUndefined();
  });

  it('agrees with the URL parser on what it would run', () => {
    for (const url of ['\tjava\nscript:alert(1)', ' data:text/plain,x', 'VBSCRIPT:x']) {
      const protocol = new URL(url).protocol;
      expect(forbiddenLinkScheme(url)).toBe(protocol);
    }
  });
});
