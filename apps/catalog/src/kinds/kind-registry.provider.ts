import { KindRegistry, kindNamesOfList, registerKindList } from '@portal/catalog-model';
import { InputError, type Config } from '@portal/platform';

/** The config key of the custom kinds, read by the service and by `portal catalog validate`. */
export const CONFIG_KINDS_KEY = 'catalog.kinds';

/**
 * The kinds the catalog accepts: the built-in ones plus the custom kinds of `catalog.kinds`,
 * registered by `registerKindList` of `@portal/catalog-model` (the same code `portal catalog
 * validate` runs). A bad definition, or a kind defined twice, stops the service at start with every
 * bad key named.
 */
export function kindRegistryFromConfig(config: Config): KindRegistry {
  const registry = new KindRegistry();
  const problems = registerKindList(registry, config.getOptional(CONFIG_KINDS_KEY), CONFIG_KINDS_KEY);
  if (problems.length > 0) throw new InputError(`Invalid configuration: ${problems.join('; ')}`);
  return registry;
}

/** Lowercase names of the kinds of `catalog.kinds`: they cannot be changed through the kinds API. */
export function configuredKindNames(config: Config): Set<string> {
  return kindNamesOfList(config.getOptional(CONFIG_KINDS_KEY));
}
