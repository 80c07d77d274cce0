// Test support: input corpora for parity tests. Not part of the library build.

/** A small deterministic pseudo-random generator (mulberry32), so fuzz cases repeat exactly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` random strings of 0–`maxLength` characters drawn from `alphabet`. */
export function randomStrings(seed: number, count: number, alphabet: string, maxLength: number): string[] {
  const random = seededRandom(seed);
  const chars = [...alphabet];
  return Array.from({ length: count }, () => {
    const length = Math.floor(random() * (maxLength + 1));
    return Array.from({ length }, () => chars[Math.floor(random() * chars.length)]).join('');
  });
}

const label63 = 'a'.repeat(63);
// A DNS subdomain of exactly `length` characters made of labels.
function subdomain(length: number): string {
  const parts: string[] = [];
  let remaining = length;
  while (remaining > 0) {
    const size = Math.min(63, remaining);
    parts.push('b'.repeat(size));
    remaining -= size + 1;
  }
  const joined = parts.join('.');
  return joined.length > length ? joined.slice(0, length) : joined;
}

/** Hand-picked strings around every field rule's edges. */
export const fieldSamples: string[] = [
  '',
  'a',
  'A',
  '0',
  '-',
  '_',
  '.',
  'a-b',
  'a--b',
  'a---b',
  'a_b',
  'a.b',
  'a..b',
  'a__b',
  '-a',
  'a-',
  '_a',
  'a_',
  '.a',
  'a.',
  'a1',
  '1a',
  '123',
  'A-B_C.D',
  'team-a',
  'Team.A',
  'UPPER',
  'with-UPPER',
  'a b',
  ' a',
  'a ',
  'a\n',
  '\na',
  'a\tb',
  'a\u0000',
  'ä',
  'Ä',
  'ñame',
  'İ',
  '🙂',
  'a:b',
  'a/b',
  'a//b',
  '/a',
  'a/',
  '/',
  'a/b/c',
  'Component',
  'component',
  'API',
  'AiResource',
  'Kind1',
  'k-ind',
  'k_ind',
  'backstage.io/v1alpha1',
  'backstage.io/v1beta1',
  'scaffolder.backstage.io/v1beta3',
  'v1',
  'my-company.net/v1',
  'Backstage.io/v1',
  'backstage.io/v1-alpha',
  'backstage.io/',
  '/v1',
  'backstage..io/v1',
  '-backstage.io/v1',
  'backstage-.io/v1',
  'back--stage.io/v1',
  'backstage.io/techdocs-ref',
  'backstage.io/managed-by-location',
  'example.com/My_Key.1',
  'example.com/-bad',
  'EXAMPLE.com/key',
  'a.b.c.d/e',
  '1.2.3/4',
  'java',
  'c++',
  'c#',
  'k8s:prod',
  'a+b',
  'a#b',
  'a-+',
  ':',
  '+',
  '#',
  'a-:b',
  'a--:b',
  'tag-with-dash',
  'Tag',
  'tag_underscore',
  'tag.dot',
  label63,
  `${label63}a`,
  'A'.repeat(63),
  `A${'-'.repeat(61)}A`,
  `a.${label63}`,
  `${label63}.b`,
  `${label63}a.b`,
  subdomain(253),
  subdomain(254),
  `${subdomain(253)}/name`,
  `${subdomain(254)}/name`,
  `example.com/${label63}`,
  `example.com/${label63}a`,
  `backstage.io/${'v'.repeat(63)}`,
  `backstage.io/${'v'.repeat(64)}`,
  'https://example.com',
  'https://example.com/a/b?c=d#e',
  'http://localhost:3000/x',
  'HTTPS://EXAMPLE.COM',
  'mailto:team@example.com',
  'tel:+1-555-0100',
  'urn:isbn:0451450523',
  'ftp://files.example.com/x',
  'file:///etc/passwd',
  'slack://channel?team=T1',
  'example.com',
  '//example.com',
  '/relative/path',
  'http://',
  'http://exa mple.com',
  'https://[::1]/',
  'https://[::1',
  'http://example.com:99999',
  'a:',
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  ' javascript:alert(1)',
  'java\tscript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  '   ',
  '\t\n',
  '\u00a0',
  'x'.repeat(1000),
];

/** Values of the wrong type for a string field. */
export const nonStrings: unknown[] = [undefined, null, 0, 1, true, false, {}, [], ['a'], { a: 'b' }];
