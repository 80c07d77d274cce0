// The kinds descriptors are checked against: the built-in ones, plus the custom kinds of the
// configuration, of kind files and of a running catalog.
import type { KindRegistry } from '@portal/catalog-model';
import { CatalogKindsClient } from './kinds/catalog-kinds-client.js';
import { readConfigKinds } from './kinds/config-kinds.js';
import { readKindsFiles } from './kinds/kinds-files.js';
import {
  ConfigurationError,
  mergeKindSources,
  type CustomKindOrigin,
  type KindSource,
} from './kinds/kind-source.js';

export { CatalogUnreachableError } from './kinds/catalog-kinds-client.js';
export { findConfigRoot, KINDS_KEY } from './kinds/config-kinds.js';
export { ConfigurationError } from './kinds/kind-source.js';

export interface LoadKindsOptions {
  /** `--config` files, in order; relative to `cwd`. None: the default app-config.yaml, if there is one. */
  configPaths: string[];
  /** `--kinds` files; relative to `cwd`. */
  kindsFiles?: string[];
  /** `--catalog-url` and its token: the runtime kinds of a running portal. */
  catalog?: { baseUrl: string; token?: string; timeoutMs?: number };
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export interface LoadedKinds {
  kinds: KindRegistry;
  /** The config files read, in merge order; empty when there was none. */
  configFiles: string[];
  /** The kinds URL of the catalog asked, if one was. */
  catalogUrl?: string;
  /** Every custom kind and where it was defined. */
  customKinds: CustomKindOrigin[];
  /** Definitions left out because an earlier source defines the kind differently. */
  notes: string[];
}

/**
 * Builds the registry of built-in and custom kinds. Where several places define a kind, the first
 * wins: the configuration (as in the catalog, where `catalog.kinds` wins over a runtime kind), then
 * the kind files, then the catalog's kinds. Throws ConfigurationError for a config or kind file that
 * cannot be read or a bad definition (each named), CatalogUnreachableError when the catalog cannot
 * be asked.
 */
export async function loadKinds(options: LoadKindsOptions): Promise<LoadedKinds> {
  const config = await readConfigKinds(options);
  const sources: KindSource[] = [config.source];
  if (options.kindsFiles?.length) sources.push(readKindsFiles(options.kindsFiles, options.cwd));
  let catalogUrl: string | undefined;
  if (options.catalog) {
    const client = new CatalogKindsClient(options.catalog);
    catalogUrl = client.url;
    sources.push(await client.customKinds());
  }
  const merged = mergeKindSources(sources);
  if (merged.problems.length > 0) {
    throw new ConfigurationError(merged.problems, 'the custom kind definitions are not usable');
  }
  return {
    kinds: merged.kinds,
    configFiles: config.configFiles,
    ...(catalogUrl ? { catalogUrl } : {}),
    customKinds: merged.customKinds,
    notes: merged.notes,
  };
}
