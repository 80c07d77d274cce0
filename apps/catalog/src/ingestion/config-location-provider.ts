// `catalog.locations` from the app config.
import { resolve } from 'node:path';
import { InputError, type Config } from '@portal/platform';
import type { LocationSpec } from '../processing/location-ref.js';
import type { EntityProvider, EntityProviderConnection } from './entity-provider.js';
import { locationToDeferredEntity } from './location-entity.js';

/**
 * Emits one generated Location entity per `catalog.locations` entry (`{type, target, rules?}`;
 * `rules` are read by CatalogRules), as one full mutation at connect: entries removed from the
 * config are removed from the catalog with everything they brought in. Relative file targets
 * resolve against `rootDir`.
 */
export class ConfigLocationProvider implements EntityProvider {
  readonly name = 'ConfigLocationProvider';
  private readonly locations: LocationSpec[];

  constructor(config: Config, rootDir = process.cwd()) {
    this.locations = (config.getOptionalConfigArray('catalog.locations') ?? []).map((entry, index) => {
      const type = entry.getString('type');
      const target = entry.getString('target');
      if (type !== 'url' && type !== 'file') {
        throw new InputError(`Invalid config at 'catalog.locations[${index}].type': must be 'url' or 'file'`);
      }
      return { type, target: type === 'file' ? resolve(rootDir, target) : target };
    });
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    await connection.applyMutation({ type: 'full', entities: this.locations.map(locationToDeferredEntity) });
  }
}
