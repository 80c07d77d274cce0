// `catalog.rules`: which kinds a location may bring into the catalog (Backstage's shape and defaults).
import { resolve } from 'node:path';
import { InputError, type Config } from '@portal/platform';
import type { Entity } from '@portal/catalog-model';
import type { LocationSpec } from './location-ref.js';

/** An allowed kind, optionally limited to one `spec.type`. */
export interface KindMatcher {
  kind: string;
  'spec.type'?: string;
}

/** A location a rule applies to: its type, and optionally its exact target or a glob pattern. */
export interface LocationMatcher {
  type: string;
  exact?: string;
  pattern?: string;
}

export interface CatalogRule {
  allow: KindMatcher[];
  /** Without it the rule applies to every location. */
  locations?: LocationMatcher[];
}

/** Backstage's default: any location may bring Components, APIs and Locations, nothing else. */
export const DEFAULT_CATALOG_RULES: CatalogRule[] = [
  { allow: [{ kind: 'Component' }, { kind: 'API' }, { kind: 'Location' }] },
];

/** A glob (`*` within a path segment, `**` across segments, `?` one character) as a RegExp. */
function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '*' && pattern[i + 1] === '*') {
      source += '.*';
      i++;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'i');
}

/**
 * Decides whether an entity may come from a location. As in Backstage, the location checked is the
 * registered root the entity descends from (its `managed-by-origin-location`), so rules given on a
 * `catalog.locations` entry cover everything read below it.
 */
export class CatalogRules {
  private readonly patterns = new Map<string, RegExp>();

  constructor(readonly rules: CatalogRule[]) {
    for (const rule of rules) {
      for (const location of rule.locations ?? []) {
        if (location.pattern) this.patterns.set(location.pattern, globToRegExp(location.pattern));
      }
    }
  }

  /**
   * `catalog.rules` (or the default rules when absent) plus the `rules` of each `catalog.locations`
   * entry, which apply to that location exactly. Relative file targets resolve against `rootDir`.
   */
  static fromConfig(config: Config, rootDir = process.cwd()): CatalogRules {
    const rules: CatalogRule[] = [];
    const configured = config.getOptionalConfigArray('catalog.rules');
    if (configured) {
      configured.forEach((ruleConfig, index) => {
        rules.push({
          allow: readAllow(ruleConfig.getOptional('allow'), `catalog.rules[${index}].allow`),
          locations: ruleConfig.getOptionalConfigArray('locations')?.map((location, i) => {
            const key = `catalog.rules[${index}].locations[${i}]`;
            const exact = location.getOptionalString('exact') ?? location.getOptionalString('target');
            const pattern = location.getOptionalString('pattern');
            if (exact && pattern)
              throw new InputError(`${key} cannot have both an exact target and a pattern`);
            return { type: location.getString('type'), exact, pattern };
          }),
        });
      });
    } else {
      rules.push(...DEFAULT_CATALOG_RULES);
    }
    (config.getOptionalConfigArray('catalog.locations') ?? []).forEach((location, index) => {
      const ruleConfigs = location.getOptionalConfigArray('rules');
      if (!ruleConfigs) return;
      const type = location.getString('type');
      const target = location.getString('target');
      const exact = type === 'file' ? resolve(rootDir, target) : target;
      ruleConfigs.forEach((ruleConfig, i) => {
        rules.push({
          allow: readAllow(ruleConfig.getOptional('allow'), `catalog.locations[${index}].rules[${i}].allow`),
          locations: [{ type, exact }],
        });
      });
    });
    return new CatalogRules(rules);
  }

  isAllowed(entity: Entity, location: LocationSpec | undefined): boolean {
    return this.rules.some((rule) => this.matchesLocation(rule, location) && matchesKind(rule, entity));
  }

  private matchesLocation(rule: CatalogRule, location: LocationSpec | undefined): boolean {
    if (!rule.locations) return true;
    if (!location) return false;
    return rule.locations.some((matcher) => {
      if (matcher.type !== location.type) return false;
      if (matcher.exact !== undefined && matcher.exact !== location.target) return false;
      if (matcher.pattern !== undefined && !this.patterns.get(matcher.pattern)!.test(location.target)) {
        return false;
      }
      return true;
    });
  }
}

function matchesKind(rule: CatalogRule, entity: Entity): boolean {
  const kind = entity.kind.toLowerCase();
  const specType = entity.spec?.type;
  return rule.allow.some(
    (matcher) =>
      matcher.kind.toLowerCase() === kind &&
      (matcher['spec.type'] === undefined ||
        (typeof specType === 'string' && matcher['spec.type'].toLowerCase() === specType.toLowerCase())),
  );
}

function readAllow(value: unknown, key: string): KindMatcher[] {
  if (!Array.isArray(value)) throw new InputError(`${key} must be a list of kinds`);
  return value.map((item, i) => {
    if (typeof item === 'string' && item) return { kind: item };
    const kind = (item as { kind?: unknown } | null)?.kind;
    const specType = (item as { 'spec.type'?: unknown } | null)?.['spec.type'];
    if (typeof kind !== 'string' || !kind || (specType !== undefined && typeof specType !== 'string')) {
      throw new InputError(`${key}[${i}] must be a kind name or { kind, 'spec.type'? }`);
    }
    return specType === undefined ? { kind } : { kind, 'spec.type': specType };
  });
}
