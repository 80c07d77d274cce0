import { InputError } from '@portal/platform';
import { isLoopbackHost } from './sign-in-config.js';

export interface CookieOptions {
  httpOnly: true;
  sameSite: 'lax';
  secure: boolean;
  path: string;
  maxAge?: number;
}

/**
 * A provider's cookie attributes: HttpOnly, SameSite=Lax, limited to `/api/auth/<provider>` (or
 * a sub-path), Secure unless the portal itself is served over http from localhost/127.0.0.1.
 */
export function cookieOptions(baseUrl: string, path: string, maxAgeSeconds?: number): CookieOptions {
  const url = new URL(baseUrl);
  const secure = !(url.protocol === 'http:' && isLoopbackHost(url.hostname));
  return {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path,
    ...(maxAgeSeconds !== undefined ? { maxAge: maxAgeSeconds * 1000 } : {}),
  };
}

/**
 * Checks a redirect target against the allow-list of origins, exactly (scheme, host and port);
 * returns the URL to use. Anything else, or anything that is not an absolute http(s) URL without
 * credentials, is an InputError (400).
 */
export function checkRedirectUrl(
  value: string,
  allowedOrigins: ReadonlySet<string>,
  key = 'redirectUrl',
): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(`Invalid ${key}: not an absolute URL`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password) {
    throw new InputError(`Invalid ${key}: only http(s) URLs without credentials are allowed`);
  }
  if (!allowedOrigins.has(url.origin)) {
    throw new InputError(`Invalid ${key}: origin '${url.origin}' is not allowed`);
  }
  return url;
}

/** The popup's origin (the `origin` parameter of `/start`), checked like a redirect target. */
export function checkOrigin(value: string, allowedOrigins: ReadonlySet<string>): string {
  const url = checkRedirectUrl(value, allowedOrigins, 'origin');
  if (url.href !== `${url.origin}/` && value !== url.origin) {
    throw new InputError('Invalid origin: expected an origin such as https://portal.example.com');
  }
  return url.origin;
}

/**
 * Backstage's popup answer: a page that posts the result to the window that opened it, for the
 * allowed origin only, and closes itself. The payload is JSON in a base64 string, so nothing in it
 * can end the script.
 */
export function popupResponseHtml(origin: string, message: unknown): string {
  const payload = Buffer.from(JSON.stringify(message), 'utf8').toString('base64');
  const target = JSON.stringify(origin).replace(/</g, '\\u003c');
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Signing in</title></head><body>
<script>
(function () {
  var bytes = Uint8Array.from(atob('${payload}'), function (c) { return c.charCodeAt(0); });
  var message = JSON.parse(new TextDecoder().decode(bytes));
  (window.opener || window.parent).postMessage(message, ${target});
  window.close();
})();
</script>
</body></html>`;
}
