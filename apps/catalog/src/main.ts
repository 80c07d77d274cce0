import { fileURLToPath } from 'node:url';
import { startService } from '@portal/platform';
import { catalogConfigSchema } from './catalog-config-schema.js';
import { EntitiesModule } from './entities/entities.module.js';
import { EventsModule } from './events/events.module.js';
import { KindsModule } from './kinds/kinds.module.js';
import { LocationsModule } from './locations/locations.module.js';
import { migrations } from './migrations/index.js';
import { ProcessingModule } from './processing/processing.module.js';
import { PushModule } from './push/push.module.js';
import { ValidationModule } from './validation/validation.module.js';

await startService({
  pluginId: 'catalog',
  title: 'Software Catalog',
  version: '0.1.0',
  imports: [
    KindsModule,
    ProcessingModule,
    EntitiesModule,
    ValidationModule,
    LocationsModule,
    PushModule,
    EventsModule,
  ],
  grpc: {
    packages: ['portal.catalog.v1'],
    protoFiles: ['portal/catalog/v1/catalog.proto'],
    services: ['portal.catalog.v1.CatalogService'],
  },
  database: {
    migrations,
    // Many small statements from several loops and requests at once: a parallel worker's start-up
    // (tens of ms) costs more than any of them saves, and there are no spare cores to give it.
    settings: { max_parallel_workers_per_gather: '0' },
  },
  configSchema: catalogConfigSchema,
  // The catalog's remote UI module (apps/catalog/ui, built to ui/dist next to dist/).
  ui: {
    dir: fileURLToPath(new URL('../ui/dist', import.meta.url)),
    pages: [{ path: '/catalog', module: './CatalogPage', title: 'Catalog', icon: 'catalog', nav: true }],
  },
  // Push mutations and location registrations carry entities in bulk (up to
  // catalog.providers.push[].maxEntities per request); the gateway's maxBodyBytes applies first.
  jsonBodyLimit: '16mb',
});
