import { InputError, type Config } from '@portal/platform';
import { SubjectAllowList } from './subject-allow-list.js';

/** Default of `catalog.providers.push[].maxEntities`. */
export const DEFAULT_MAX_ENTITIES = 5000;

/** What `catalog.providers.push[]` says about one push provider besides its name. */
export interface PushProviderSettings {
  name: string;
  /** `allow`: the callers that may push for this provider (see SubjectAllowList); none by default. */
  allow: SubjectAllowList;
  /** `maxEntities`: most entities plus removals in one mutation (default 5000). */
  maxEntities: number;
}

export function readPushSettings(config: Config): Map<string, PushProviderSettings> {
  const settings = new Map<string, PushProviderSettings>();
  const entries = config.getOptionalConfigArray('catalog.providers.push') ?? [];
  entries.forEach((entry, index) => {
    const name = entry.getString('name');
    const maxEntities = entry.getOptionalNumber('maxEntities') ?? DEFAULT_MAX_ENTITIES;
    if (!Number.isInteger(maxEntities) || maxEntities < 1) {
      throw new InputError(
        `Invalid config at 'catalog.providers.push[${index}].maxEntities': must be a positive integer`,
      );
    }
    settings.set(name, {
      name,
      allow: new SubjectAllowList(entry.getOptionalStringArray('allow') ?? []),
      maxEntities,
    });
  });
  return settings;
}
