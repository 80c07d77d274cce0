import { InputError } from '../errors/errors.js';

/** Backstage's `backend.reading.allow` entry: a host (exact, or `*.suffix`), optional port, paths. */
export interface ReadingRule {
  host: string;
  paths?: string[];
}

/** True when `url` is under one of the rules: scheme http(s), host (and port) and path prefix match. */
export function isAllowedByRules(url: URL, rules: ReadingRule[]): boolean {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (url.username || url.password) return false;
  const host = url.hostname.toLowerCase();
  return rules.some((rule) => {
    const [ruleHost, rulePort] = splitHostPort(rule.host.toLowerCase());
    if (rulePort !== undefined && rulePort !== (url.port || (url.protocol === 'https:' ? '443' : '80')))
      return false;
    const hostMatches = ruleHost.startsWith('*.')
      ? host.endsWith(ruleHost.slice(1)) && host.length > ruleHost.length - 1
      : host === ruleHost;
    if (!hostMatches) return false;
    if (!rule.paths?.length) return true;
    // Compare decoded, normalised paths so `%2e%2e` cannot step out of an allowed prefix.
    const path = url.pathname;
    return rule.paths.some((p) => path === p || path.startsWith(p.endsWith('/') ? p : `${p}/`));
  });
}

function splitHostPort(value: string): [string, string | undefined] {
  const m = /^(.*?)(?::(\d+))?$/.exec(value)!;
  return [m[1]!, m[2]];
}

export function parseReadingRules(value: unknown): ReadingRule[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new InputError('backend.reading.allow must be a list of { host, paths? }');
  return value.map((entry, i) => {
    const host = (entry as { host?: unknown })?.host;
    const paths = (entry as { paths?: unknown })?.paths;
    if (typeof host !== 'string' || !/^(\*\.)?[a-z0-9.-]+(:\d+)?$/i.test(host)) {
      throw new InputError(
        `backend.reading.allow[${i}].host must be a host name like example.com or *.example.com`,
      );
    }
    if (
      paths !== undefined &&
      (!Array.isArray(paths) || paths.some((p) => typeof p !== 'string' || !p.startsWith('/')))
    ) {
      throw new InputError(`backend.reading.allow[${i}].paths must be a list of paths starting with /`);
    }
    return { host, paths: paths as string[] | undefined };
  });
}
