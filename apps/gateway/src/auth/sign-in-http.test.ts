import { InputError } from '@portal/platform';
import { checkOrigin, checkRedirectUrl, cookieOptions, popupResponseHtml } from './sign-in-http.js';

describe('cookieOptions', () => {
  it('HttpOnly, SameSite=Lax, the provider path; Secure unless served over http from localhost', () => {
    expect(cookieOptions('https://portal.example.com', '/api/auth/oidc', 60)).toEqual({
      httpOnly: true,
      sameSite: 'lax',
      secure: true,
      path: '/api/auth/oidc',
      maxAge: 60_000,
    });
    expect(cookieOptions('http://localhost:7007', '/api/auth/oidc').secure).toBe(false);
    expect(cookieOptions('http://127.0.0.1:7007', '/api/auth/oidc').secure).toBe(false);
    expect(cookieOptions('http://portal.internal', '/api/auth/oidc').secure).toBe(true);
    expect(cookieOptions('https://localhost:7007', '/x').secure).toBe(true);
  });
});

describe('checkRedirectUrl', () => {
  const allowed = new Set(['https://portal.example.com', 'http://localhost:3000']);

  it('accepts URLs on an allowed origin', () => {
    expect(checkRedirectUrl('https://portal.example.com/catalog?x=1#y', allowed).href).toBe(
      'https://portal.example.com/catalog?x=1#y',
    );
    expect(checkRedirectUrl('http://localhost:3000', allowed).origin).toBe('http://localhost:3000');
  });

  it.each([
    'https://evil.example.com/',
    'https://portal.example.com.evil.example/',
    'http://portal.example.com/', // scheme differs
    'https://portal.example.com:8443/', // port differs
    'http://localhost:3001/',
    'https://user:pw@portal.example.com/',
    '//evil.example.com',
    '/relative',
    'javascript:alert(1)',
    'data:text/html,hi',
    '',
  ])('refuses %j with a 400', (url) => {
    expect(() => checkRedirectUrl(url, allowed)).toThrow(InputError);
  });
});

describe('checkOrigin', () => {
  const allowed = new Set(['https://portal.example.com']);
  it('accepts an allowed origin (with or without a trailing slash), nothing more', () => {
    expect(checkOrigin('https://portal.example.com', allowed)).toBe('https://portal.example.com');
    expect(checkOrigin('https://portal.example.com/', allowed)).toBe('https://portal.example.com');
    expect(() => checkOrigin('https://portal.example.com/path', allowed)).toThrow(InputError);
    expect(() => checkOrigin('https://evil.example.com', allowed)).toThrow(InputError);
  });
});

describe('popupResponseHtml', () => {
  it('posts the message to the given origin; nothing in the message can end the script', () => {
    const message = {
      type: 'authorization_response',
      error: { name: 'x', message: '</script><script>alert(1)</script>' },
    };
    const html = popupResponseHtml('https://portal.example.com', message);
    expect(html.match(/<\/script>/g)).toHaveLength(1);
    expect(html).toContain('postMessage(message, "https://portal.example.com")');
    const payload = /atob\('([A-Za-z0-9+/=]+)'\)/.exec(html)![1]!;
    expect(JSON.parse(Buffer.from(payload, 'base64').toString('utf8'))).toEqual(message);
  });
});
