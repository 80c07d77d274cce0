// The format rules of entity fields (backstage-api.md §2), each a predicate on an unknown value.

const DNS_LABEL = /^[a-z0-9]+(?:-+[a-z0-9]+)*$/;
const OBJECT_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const KIND = /^[a-zA-Z][a-zA-Z0-9]*$/;
const VERSION = /^[a-zA-Z0-9]+$/;
const TAG = /^[a-z0-9:+#]+(-[a-z0-9:+#]+)*$/;

function isStringOfLength(value: unknown, min: number, max: number): value is string {
  return typeof value === 'string' && value.length >= min && value.length <= max;
}

/** `<suffix>` or `<prefix>/<suffix>`, each part checked on its own; more than one `/` is invalid. */
function isPrefixedName(
  value: unknown,
  isPrefix: (prefix: string) => boolean,
  isName: (name: string) => boolean,
): value is string {
  if (typeof value !== 'string') return false;
  const parts = value.split('/');
  if (parts.length === 1) return isName(parts[0]);
  if (parts.length === 2) return isPrefix(parts[0]) && isName(parts[1]);
  return false;
}

/** RFC 1123 label: lowercase alphanumerics separated by dashes, 1–63 characters. */
export function isValidDnsLabel(value: unknown): value is string {
  return isStringOfLength(value, 1, 63) && DNS_LABEL.test(value);
}

/** RFC 1123 subdomain: dot-separated DNS labels, 1–253 characters. */
export function isValidDnsSubdomain(value: unknown): value is string {
  return isStringOfLength(value, 1, 253) && value.split('.').every(isValidDnsLabel);
}

/** `metadata.name`: alphanumerics separated by `-`, `_` or `.`, 1–63 characters. */
export function isValidEntityName(value: unknown): value is string {
  return isStringOfLength(value, 1, 63) && OBJECT_NAME.test(value);
}

/** `apiVersion`: an optional DNS-subdomain group, then 1–63 alphanumerics (`backstage.io/v1alpha1`). */
export function isValidApiVersion(value: unknown): value is string {
  return isPrefixedName(value, isValidDnsSubdomain, (v) => isStringOfLength(v, 1, 63) && VERSION.test(v));
}

/** `kind`: a letter, then letters and digits, 1–63 characters. */
export function isValidKind(value: unknown): value is string {
  return isStringOfLength(value, 1, 63) && KIND.test(value);
}

/** `metadata.namespace`: a DNS label. */
export function isValidNamespace(value: unknown): value is string {
  return isValidDnsLabel(value);
}

/** A label key: an optional DNS-subdomain prefix and `/`, then an entity name. */
export function isValidLabelKey(value: unknown): value is string {
  return isPrefixedName(value, isValidDnsSubdomain, isValidEntityName);
}

/** A label value: empty, or an entity name. */
export function isValidLabelValue(value: unknown): value is string {
  return value === '' || isValidEntityName(value);
}

/** An annotation key: the same rule as a label key. */
export function isValidAnnotationKey(value: unknown): value is string {
  return isValidLabelKey(value);
}

/** An annotation value: any string. */
export function isValidAnnotationValue(value: unknown): value is string {
  return typeof value === 'string';
}

/** A tag: `[a-z0-9:+#]` runs separated by single dashes, 1–63 characters. */
export function isValidTag(value: unknown): value is string {
  return isStringOfLength(value, 1, 63) && TAG.test(value);
}

/** A string the WHATWG URL parser accepts as an absolute URL. */
export function isValidUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

/** A string with something other than whitespace in it. */
export function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length >= 1;
}

/** What each rule expects, for messages. */
export const FIELD_RULE_EXPECTATIONS = {
  apiVersion: 'an optional DNS subdomain and "/", then 1-63 letters and digits (e.g. backstage.io/v1alpha1)',
  kind: 'a letter followed by letters and digits, at most 63 characters',
  name: 'sequences of [a-zA-Z0-9] separated by any of [-_.], at most 63 characters',
  namespace: 'sequences of [a-z0-9] separated by [-], at most 63 characters',
  key: 'an optional DNS subdomain prefix and "/", then sequences of [a-zA-Z0-9] separated by any of [-_.], at most 63 characters',
  labelValue: 'empty, or sequences of [a-zA-Z0-9] separated by any of [-_.], at most 63 characters',
  tag: 'sequences of [a-z0-9:+#] separated by single dashes, at most 63 characters',
  url: 'an absolute URL',
  nonEmpty: 'a non-empty string',
} as const;
