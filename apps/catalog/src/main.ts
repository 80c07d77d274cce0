import { startService } from '@portal/platform';
import { EntitiesModule } from './entities/entities.module.js';
import { KindsModule } from './kinds/kinds.module.js';
import { migrations } from './migrations/index.js';
import { ValidationModule } from './validation/validation.module.js';

await startService({
  pluginId: 'catalog',
  title: 'Software Catalog',
  version: '0.1.0',
  imports: [KindsModule, EntitiesModule, ValidationModule],
  grpc: {
    packages: ['portal.catalog.v1'],
    protoFiles: ['portal/catalog/v1/catalog.proto'],
    services: ['portal.catalog.v1.CatalogService'],
  },
  database: { migrations },
});
