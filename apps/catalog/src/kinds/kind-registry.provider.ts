import { KindRegistry } from '@portal/catalog-model';
import { InputError, type Config } from '@portal/platform';

/**
 * The kinds the catalog accepts: the built-in ones plus the custom kinds of `catalog.kinds` (the
 * same list `portal catalog validate` reads). A bad definition stops the service at start with the
 * key named.
 */
export function kindRegistryFromConfig(config: Config): KindRegistry {
  const registry = new KindRegistry();
  const kinds = config.getOptional('catalog.kinds');
  if (kinds === undefined) return registry;
  if (!Array.isArray(kinds)) throw new InputError('catalog.kinds must be a list of kind definitions');
  kinds.forEach((definition, i) => {
    try {
      registry.register(definition);
    } catch (err) {
      throw new InputError(`catalog.kinds[${i}] is not a valid kind definition: ${(err as Error).message}`);
    }
  });
  return registry;
}

/** Lowercase names of the kinds of `catalog.kinds`: they cannot be changed through the kinds API. */
export function configuredKindNames(config: Config): Set<string> {
  const kinds = config.getOptional('catalog.kinds');
  if (!Array.isArray(kinds)) return new Set();
  return new Set(
    kinds
      .map((definition) => (definition as { kind?: unknown } | null)?.kind)
      .filter((kind): kind is string => typeof kind === 'string')
      .map((kind) => kind.toLowerCase()),
  );
}
