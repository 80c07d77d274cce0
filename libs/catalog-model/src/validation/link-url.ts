// Link URLs end up in `href` attributes: schemes that run code or embed content there are refused.

const FORBIDDEN_SCHEMES = ['javascript:', 'data:', 'vbscript:'] as const;

// Characters a URL parser or a browser drops or ignores inside a scheme: C0 controls and space,
// DEL and C1 controls, Unicode whitespace, soft hyphen, zero-width characters and the BOM.
// eslint-disable-next-line no-control-regex
const IGNORABLE = /[\u0000-\u0020\u007f-\u009f\u00ad\u200b-\u200f\u2028\u2029\u2060\ufeff\s]/g;

/**
 * The forbidden scheme (`javascript:`, `data:`, `vbscript:`) a link URL would run as, in any case
 * and whatever whitespace or control characters surround or split it; undefined when it has none.
 */
export function forbiddenLinkScheme(url: string): string | undefined {
  const squashed = url.replace(IGNORABLE, '').toLowerCase();
  const byText = FORBIDDEN_SCHEMES.find((scheme) => squashed.startsWith(scheme));
  if (byText) return byText;
  try {
    const protocol = new URL(url).protocol.toLowerCase();
    return FORBIDDEN_SCHEMES.find((scheme) => scheme === protocol);
  } catch {
    return undefined;
  }
}
