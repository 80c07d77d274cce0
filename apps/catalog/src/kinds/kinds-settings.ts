import { InputError, type Config } from '@portal/platform';
import { readDuration } from '../processing/util/duration.js';

export interface KindsSettings {
  /** `catalog.kindsApi.allow`: subjects that may store and remove kinds; absent: any authenticated caller. */
  allow?: string[];
  /** `catalog.kindsApi.pollingInterval` (default 5 s): the safety-net reload of catalog_kinds. */
  pollMs: number;
}

export function readKindsSettings(config: Config): KindsSettings {
  const allow = config.getOptionalStringArray('catalog.kindsApi.allow');
  const pollMs = readDuration(config, 'catalog.kindsApi.pollingInterval') ?? 5000;
  if (pollMs < 100)
    throw new InputError("Invalid config at 'catalog.kindsApi.pollingInterval': must be at least 100 ms");
  return { ...(allow ? { allow } : {}), pollMs };
}
